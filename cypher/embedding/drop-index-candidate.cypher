// Drops the Candidate vector index (when the embedding model, and so the dimension, changes).
// params: none
// returns: nothing
DROP INDEX candidate_embedding IF EXISTS
