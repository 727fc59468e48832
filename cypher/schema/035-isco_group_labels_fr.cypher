// Fulltext search over IscoGroup labels (french analyzer).
// params: none
// returns: nothing
CREATE FULLTEXT INDEX isco_group_labels_fr IF NOT EXISTS FOR (n:IscoGroup) ON EACH [n.preferredLabelFr, n.altLabelsFrText]
OPTIONS { indexConfig: { `fulltext.analyzer`: 'french', `fulltext.eventually_consistent`: false } }
