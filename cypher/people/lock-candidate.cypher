// Serialises the writes that concern one candidate (their applications, their erasure): takes the
// candidate node's write lock until the transaction ends (the property is set and removed at once,
// so nothing changes). A concurrent writer waits here, then reads what the first one committed.
// params: $candidateId: string
// returns: locked (false when there is no such candidate)
OPTIONAL MATCH (c:Candidate {id: $candidateId})
FOREACH (n IN CASE WHEN c IS NULL THEN [] ELSE [c] END | SET n.`_lock` = true REMOVE n.`_lock`)
RETURN c IS NOT NULL AS locked
