// Uniqueness of Candidate.id.
// params: none
// returns: nothing
CREATE CONSTRAINT candidate_id_unique IF NOT EXISTS FOR (n:Candidate) REQUIRE n.id IS UNIQUE
