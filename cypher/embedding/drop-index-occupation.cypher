// Drops the Occupation vector index (when the embedding model, and so the dimension, changes).
// params: none
// returns: nothing
DROP INDEX occupation_embedding IF EXISTS
