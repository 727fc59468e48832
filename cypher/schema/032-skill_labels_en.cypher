// Fulltext search over Skill labels (english analyzer).
// params: none
// returns: nothing
CREATE FULLTEXT INDEX skill_labels_en IF NOT EXISTS FOR (n:Skill) ON EACH [n.preferredLabel, n.altLabelsText]
OPTIONS { indexConfig: { `fulltext.analyzer`: 'english', `fulltext.eventually_consistent`: false } }
