// Vector index (HNSW, cosine) over SkillLabel embeddings; the dimension comes from the model.
// params: $dimension: int
// returns: nothing
CREATE VECTOR INDEX skill_label_embedding IF NOT EXISTS FOR (n:SkillLabel) ON n.embedding
OPTIONS { indexConfig: { `vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine' } }
