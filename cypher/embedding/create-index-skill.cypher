// Vector index (HNSW, cosine) over Skill embeddings; the dimension comes from the model.
// params: $dimension: int
// returns: nothing
CREATE VECTOR INDEX skill_embedding IF NOT EXISTS FOR (n:Skill) ON n.embedding
OPTIONS { indexConfig: { `vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine' } }
