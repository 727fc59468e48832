// Uniqueness of IscoGroup.uri (also backs every lookup by uri).
// params: none
// returns: nothing
CREATE CONSTRAINT isco_group_uri_unique IF NOT EXISTS FOR (n:IscoGroup) REQUIRE n.uri IS UNIQUE
