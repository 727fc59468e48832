// Removes every Vacancy embedding (before re-embedding with another model), in batches.
// params: none
// returns: nothing
MATCH (n:Vacancy) WHERE n.embedding IS NOT NULL
CALL (n) { REMOVE n.embedding } IN TRANSACTIONS OF 5000 ROWS
