// Deletes every node and relationship, in batches (tests and scratch stores only).
// params: none
// returns: nothing
MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
