// Drops the Skill vector index (when the embedding model, and so the dimension, changes).
// params: none
// returns: nothing
DROP INDEX skill_embedding IF EXISTS
