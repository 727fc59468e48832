// The text parts the reranker reads for candidates (only for the head of a ranking).
// params: $ids: list of candidate ids
// returns: id, summary, skillLabels, occupationLabels
UNWIND $ids AS id
MATCH (c:Candidate {id: id})
CALL (c) {
  OPTIONAL MATCH (c)-[:HAS_SKILL]->(s:Skill)
  WITH s ORDER BY s.preferredLabel
  RETURN collect(s.preferredLabel) AS skillLabels
}
CALL (c) {
  OPTIONAL MATCH (c)-[:WORKED_AS]->(o:Occupation)
  WITH o ORDER BY o.preferredLabel
  RETURN collect(o.preferredLabel) AS occupationLabels
}
RETURN c.id AS id, c.summary AS summary, skillLabels, occupationLabels
