// Fulltext search over Occupation labels (english analyzer).
// params: none
// returns: nothing
CREATE FULLTEXT INDEX occupation_labels_en IF NOT EXISTS FOR (n:Occupation) ON EACH [n.preferredLabel, n.altLabelsText]
OPTIONS { indexConfig: { `fulltext.analyzer`: 'english', `fulltext.eventually_consistent`: false } }
