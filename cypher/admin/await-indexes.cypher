// Waits until every index is online (after schema creation or a large import).
// params: $seconds: integer
// returns: nothing
CALL db.awaitIndexes($seconds)
