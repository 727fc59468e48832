// Creates or updates ESCO Skill nodes from the English classification file (idempotent on uri).
// params: $rows: list of { uri: string, props: map of the node's properties }
// returns: count (rows written)
UNWIND $rows AS row
MERGE (n:EscoConcept {uri: row.uri})
SET n:Skill, n += row.props
RETURN count(n) AS count
