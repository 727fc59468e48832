// Uniqueness of SkillGroup.uri (also backs every lookup by uri).
// params: none
// returns: nothing
CREATE CONSTRAINT skill_group_uri_unique IF NOT EXISTS FOR (n:SkillGroup) REQUIRE n.uri IS UNIQUE
