// A batch of Skill nodes without an embedding, with the text parts their embedding is built from.
// params: $limit: int
// returns: key, label, description
MATCH (n:Skill) WHERE n.embedding IS NULL
WITH n ORDER BY n.uri LIMIT $limit
RETURN n.uri AS key, n.preferredLabel AS label, n.description AS description
