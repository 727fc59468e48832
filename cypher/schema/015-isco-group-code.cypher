// Uniqueness of IscoGroup.code (also backs every lookup by code).
// params: none
// returns: nothing
CREATE CONSTRAINT isco_group_code_unique IF NOT EXISTS FOR (n:IscoGroup) REQUIRE n.code IS UNIQUE
