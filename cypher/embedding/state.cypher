// Which model the stored embeddings of each target were computed with.
// params: none
// returns: target, model, sha256, dimension
MATCH (s:EmbeddingState)
RETURN s.target AS target, s.model AS model, s.sha256 AS sha256, s.dimension AS dimension
