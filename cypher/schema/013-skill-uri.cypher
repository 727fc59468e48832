// Uniqueness of Skill.uri (also backs every lookup by uri).
// params: none
// returns: nothing
CREATE CONSTRAINT skill_uri_unique IF NOT EXISTS FOR (n:Skill) REQUIRE n.uri IS UNIQUE
