// Range index on Skill.skillType (skills of a type).
// params: none
// returns: nothing
CREATE INDEX skill_type IF NOT EXISTS FOR (n:Skill) ON (n.skillType)
