// Uniqueness of SkillLabel.key (concept uri | language | text).
// params: none
// returns: nothing
CREATE CONSTRAINT skill_label_key_unique IF NOT EXISTS FOR (n:SkillLabel) REQUIRE n.key IS UNIQUE
