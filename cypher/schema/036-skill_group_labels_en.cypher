// Fulltext search over SkillGroup labels (english analyzer).
// params: none
// returns: nothing
CREATE FULLTEXT INDEX skill_group_labels_en IF NOT EXISTS FOR (n:SkillGroup) ON EACH [n.preferredLabel, n.altLabelsText]
OPTIONS { indexConfig: { `fulltext.analyzer`: 'english', `fulltext.eventually_consistent`: false } }
