// Vector index (HNSW, cosine) over OccupationLabel embeddings; the dimension comes from the model.
// params: $dimension: int
// returns: nothing
CREATE VECTOR INDEX occupation_label_embedding IF NOT EXISTS FOR (n:OccupationLabel) ON n.embedding
OPTIONS { indexConfig: { `vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine' } }
