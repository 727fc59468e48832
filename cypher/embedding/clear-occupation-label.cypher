// Removes every OccupationLabel embedding (before re-embedding with another model), in batches.
// params: none
// returns: nothing
MATCH (n:OccupationLabel) WHERE n.embedding IS NOT NULL
CALL (n) { REMOVE n.embedding } IN TRANSACTIONS OF 5000 ROWS
