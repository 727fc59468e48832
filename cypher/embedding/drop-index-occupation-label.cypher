// Drops the OccupationLabel vector index (when the embedding model, and so the dimension, changes).
// params: none
// returns: nothing
DROP INDEX occupation_label_embedding IF EXISTS
