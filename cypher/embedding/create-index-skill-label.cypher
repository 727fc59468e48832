// Vector index (HNSW, cosine) over SkillLabel embeddings; the dimension comes from the model.
// Quantization (int8 vectors inside the index) is off by default: exact float32 scores give better
// recall against brute force; it is a memory/recall trade-off set by VECTOR_INDEX_QUANTIZATION.
// params: $dimension: int, $quantization: boolean
// returns: nothing
CREATE VECTOR INDEX skill_label_embedding IF NOT EXISTS FOR (n:SkillLabel) ON n.embedding
OPTIONS { indexConfig: { `vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine', `vector.quantization.enabled`: $quantization } }
