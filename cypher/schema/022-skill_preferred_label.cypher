// Range index on Skill.preferredLabel (ordered pages).
// params: none
// returns: nothing
CREATE INDEX skill_preferred_label IF NOT EXISTS FOR (n:Skill) ON (n.preferredLabel)
