// A batch of Vacancy nodes without an embedding, with the text parts their embedding is built from.
// params: $limit: int
// returns: key, title, description, skills
MATCH (n:Vacancy) WHERE n.embedding IS NULL
WITH n ORDER BY n.id LIMIT $limit
OPTIONAL MATCH (n)-[:REQUIRES]->(s:Skill)
RETURN n.id AS key, n.title AS title, n.description AS description, collect(s.preferredLabel) AS skills
