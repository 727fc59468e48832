// Vector index (HNSW, cosine) over Occupation embeddings; the dimension comes from the model.
// params: $dimension: int
// returns: nothing
CREATE VECTOR INDEX occupation_embedding IF NOT EXISTS FOR (n:Occupation) ON n.embedding
OPTIONS { indexConfig: { `vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine' } }
