// Removes every Candidate embedding (before re-embedding with another model), in batches.
// params: none
// returns: nothing
MATCH (n:Candidate) WHERE n.embedding IS NOT NULL
CALL (n) { REMOVE n.embedding } IN TRANSACTIONS OF 5000 ROWS
