// Fulltext search over IscoGroup labels (english analyzer).
// params: none
// returns: nothing
CREATE FULLTEXT INDEX isco_group_labels_en IF NOT EXISTS FOR (n:IscoGroup) ON EACH [n.preferredLabel, n.altLabelsText]
OPTIONS { indexConfig: { `fulltext.analyzer`: 'english', `fulltext.eventually_consistent`: false } }
