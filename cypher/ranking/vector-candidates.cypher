// Stage 1, dense: the candidates nearest to a query vector in the candidate vector index.
// params: $n: int, $vector: list of floats
// returns: id, score (cosine, index-approximate)
CALL db.index.vector.queryNodes('candidate_embedding', $n, $vector) YIELD node, score
RETURN node.id AS id, score
