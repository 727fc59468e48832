// Drops the SkillLabel vector index (when the embedding model, and so the dimension, changes).
// params: none
// returns: nothing
DROP INDEX skill_label_embedding IF EXISTS
