// Whether an ISCO-08 group with this code is in the graph (a filter naming an unknown one is NOT_FOUND).
// params: $code: string
// returns: known (boolean)
RETURN EXISTS { MATCH (:IscoGroup {code: $code}) } AS known
