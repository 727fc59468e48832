// The database's cosine of pairs of stored candidate embeddings: the candidate projection checks
// that its own arithmetic gives exactly these values before it computes cosines in process.
// params: $pairs: list of [candidate id, candidate id]
// returns: a, b, similarity
UNWIND $pairs AS pair
MATCH (a:Candidate {id: pair[0]}), (b:Candidate {id: pair[1]})
WHERE a.embedding IS NOT NULL AND b.embedding IS NOT NULL
RETURN a.id AS a, b.id AS b, vector.similarity.cosine(a.embedding, b.embedding) AS similarity
