// Cosines of candidates' stored embeddings with the query and ideal-profile vectors, nothing else:
// the candidate projection asks for the candidates whose vector it does not hold.
// params: $ids: list of candidate ids, $query: list of floats or null, $ideal: list of floats or null
// returns: id, cosine, idealCosine
UNWIND $ids AS id
MATCH (c:Candidate {id: id})
WITH c, c.embedding AS e
RETURN c.id AS id,
  CASE WHEN $query IS NULL OR e IS NULL THEN null ELSE vector.similarity.cosine(e, $query) END AS cosine,
  CASE WHEN $ideal IS NULL OR e IS NULL THEN null ELSE vector.similarity.cosine(e, $ideal) END AS idealCosine
