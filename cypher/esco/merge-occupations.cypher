// Creates or updates ESCO Occupation nodes from the English classification file (idempotent on uri).
// params: $rows: list of { uri: string, props: map of the node's properties }
// returns: count (rows written)
UNWIND $rows AS row
MERGE (n:EscoConcept {uri: row.uri})
SET n:Occupation, n += row.props
RETURN count(n) AS count
