// Vector index (HNSW, cosine) over Vacancy embeddings; the dimension comes from the model.
// params: $dimension: int
// returns: nothing
CREATE VECTOR INDEX vacancy_embedding IF NOT EXISTS FOR (n:Vacancy) ON n.embedding
OPTIONS { indexConfig: { `vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine' } }
