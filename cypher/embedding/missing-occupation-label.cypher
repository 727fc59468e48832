// A batch of OccupationLabel nodes without an embedding, with the text parts their embedding is built from.
// params: $limit: int
// returns: key, text
MATCH (n:OccupationLabel) WHERE n.embedding IS NULL
WITH n ORDER BY n.key LIMIT $limit
RETURN n.key AS key, n.text AS text
