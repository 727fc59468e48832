// A batch of Vacancy nodes without an embedding, with the text parts their embedding is built from.
// params: $limit: int
// returns: key, title, description, skills
MATCH (n:Vacancy) WHERE n.embedding IS NULL
WITH n ORDER BY n.id LIMIT $limit
CALL (n) {
  OPTIONAL MATCH (n)-[:REQUIRES]->(s:Skill)
  WITH s ORDER BY s.preferredLabel
  RETURN collect(s.preferredLabel) AS skills
}
RETURN n.id AS key, n.title AS title, n.description AS description, skills
