// Vector index (HNSW, cosine) over Candidate embeddings; the dimension comes from the model.
// params: $dimension: int
// returns: nothing
CREATE VECTOR INDEX candidate_embedding IF NOT EXISTS FOR (n:Candidate) ON n.embedding
OPTIONS { indexConfig: { `vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine' } }
