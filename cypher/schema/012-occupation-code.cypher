// Uniqueness of Occupation.code (also backs every lookup by code).
// params: none
// returns: nothing
CREATE CONSTRAINT occupation_code_unique IF NOT EXISTS FOR (n:Occupation) REQUIRE n.code IS UNIQUE
