// A batch of Candidate nodes without an embedding, with the text parts their embedding is built from.
// params: $limit: int
// returns: key, summary, skills, occupations
MATCH (n:Candidate) WHERE n.embedding IS NULL
WITH n ORDER BY n.id LIMIT $limit
CALL (n) {
  OPTIONAL MATCH (n)-[:HAS_SKILL]->(s:Skill)
  WITH s ORDER BY s.preferredLabel
  RETURN collect(s.preferredLabel) AS skills
}
CALL (n) {
  OPTIONAL MATCH (n)-[:WORKED_AS]->(o:Occupation)
  WITH o ORDER BY o.preferredLabel
  RETURN collect(o.preferredLabel) AS occupations
}
RETURN n.id AS key, n.summary AS summary, skills, occupations
