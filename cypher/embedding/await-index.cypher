// Waits until a (re)built vector index is online, so queries never meet a populating index.
// params: $name: string, $seconds: int
// returns: nothing
CALL db.awaitIndex($name, $seconds)
