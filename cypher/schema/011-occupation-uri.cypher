// Uniqueness of Occupation.uri (also backs every lookup by uri).
// params: none
// returns: nothing
CREATE CONSTRAINT occupation_uri_unique IF NOT EXISTS FOR (n:Occupation) REQUIRE n.uri IS UNIQUE
