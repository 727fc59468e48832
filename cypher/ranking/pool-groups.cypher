// Fairness audit only: the audit group (e.g. gender) of each candidate in a ranked pool. Used for
// aggregate figures; never a ranking feature and never returned per person.
// params: $ids: list of candidate ids, $attribute: string (a SensitiveProfile property name)
// returns: id, group
UNWIND $ids AS id
MATCH (c:Candidate {id: id})
OPTIONAL MATCH (c)-[:HAS_SENSITIVE]->(p:SensitiveProfile)
RETURN c.id AS id, p[$attribute] AS group
