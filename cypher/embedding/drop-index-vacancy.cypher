// Drops the Vacancy vector index (when the embedding model, and so the dimension, changes).
// params: none
// returns: nothing
DROP INDEX vacancy_embedding IF EXISTS
