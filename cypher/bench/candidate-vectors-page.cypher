// Candidate embeddings in id order, one keyset page: the benchmark's exact search reads the very
// vectors the vector index holds.
// params: $after: string or null (the last id of the previous page), $limit: int
// returns: id, embedding (list of floats)
MATCH (c:Candidate)
WHERE ($after IS NULL OR c.id > $after) AND c.embedding IS NOT NULL
WITH c ORDER BY c.id
LIMIT $limit
RETURN c.id AS id, c.embedding AS embedding
