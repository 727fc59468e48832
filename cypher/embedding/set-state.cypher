// Records the model a target's embeddings are computed with.
// params: $target: string, $model: string, $sha256: string, $dimension: int
// returns: target
MERGE (s:EmbeddingState {target: $target})
SET s.model = $model, s.sha256 = $sha256, s.dimension = $dimension, s.updatedAt = datetime()
RETURN s.target AS target
