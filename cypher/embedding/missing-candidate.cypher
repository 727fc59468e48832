// A batch of Candidate nodes without an embedding, with the text parts their embedding is built from.
// params: $limit: int
// returns: key, summary, skills, occupations
MATCH (n:Candidate) WHERE n.embedding IS NULL
WITH n ORDER BY n.id LIMIT $limit
OPTIONAL MATCH (n)-[:HAS_SKILL]->(s:Skill)
WITH n, collect(s.preferredLabel) AS skills
OPTIONAL MATCH (n)-[:WORKED_AS]->(o:Occupation)
RETURN n.id AS key, n.summary AS summary, skills, collect(o.preferredLabel) AS occupations
