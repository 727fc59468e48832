// Fulltext search over SkillGroup labels (french analyzer).
// params: none
// returns: nothing
CREATE FULLTEXT INDEX skill_group_labels_fr IF NOT EXISTS FOR (n:SkillGroup) ON EACH [n.preferredLabelFr, n.altLabelsFrText]
OPTIONS { indexConfig: { `fulltext.analyzer`: 'french', `fulltext.eventually_consistent`: false } }
