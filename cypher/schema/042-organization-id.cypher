// Uniqueness of Organization.id.
// params: none
// returns: nothing
CREATE CONSTRAINT organization_id_unique IF NOT EXISTS FOR (n:Organization) REQUIRE n.id IS UNIQUE
