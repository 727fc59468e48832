// Cheapest round trip to the database, for readiness checks.
// params: none
// returns: ok (1)
RETURN 1 AS ok
