// Fulltext search over Skill labels (french analyzer).
// params: none
// returns: nothing
CREATE FULLTEXT INDEX skill_labels_fr IF NOT EXISTS FOR (n:Skill) ON EACH [n.preferredLabelFr, n.altLabelsFrText]
OPTIONS { indexConfig: { `fulltext.analyzer`: 'french', `fulltext.eventually_consistent`: false } }
