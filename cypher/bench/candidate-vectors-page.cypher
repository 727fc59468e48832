// Candidate embeddings in id order, one keyset page: the benchmark's exact search reads the very
// vectors the vector index holds. `c.id > coalesce($after, '')` (not `$after IS NULL OR …`) keeps
// it an index range seek in id order that stops after $limit rows: the disjunction made every page
// scan and sort all candidates (minutes per pass at 1M).
// params: $after: string or null (the last id of the previous page), $limit: int
// returns: id, embedding (list of floats)
MATCH (c:Candidate)
WHERE c.id > coalesce($after, '') AND c.embedding IS NOT NULL
WITH c ORDER BY c.id
LIMIT $limit
RETURN c.id AS id, c.embedding AS embedding
