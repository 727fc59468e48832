// Range index on Candidate.region (filters).
// params: none
// returns: nothing
CREATE INDEX candidate_region IF NOT EXISTS FOR (n:Candidate) ON (n.region)
