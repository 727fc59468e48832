// Fulltext search over Occupation labels (french analyzer).
// params: none
// returns: nothing
CREATE FULLTEXT INDEX occupation_labels_fr IF NOT EXISTS FOR (n:Occupation) ON EACH [n.preferredLabelFr, n.altLabelsFrText]
OPTIONS { indexConfig: { `fulltext.analyzer`: 'french', `fulltext.eventually_consistent`: false } }
