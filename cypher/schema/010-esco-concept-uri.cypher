// Uniqueness of EscoConcept.uri (also backs every lookup by uri).
// params: none
// returns: nothing
CREATE CONSTRAINT esco_concept_uri_unique IF NOT EXISTS FOR (n:EscoConcept) REQUIRE n.uri IS UNIQUE
