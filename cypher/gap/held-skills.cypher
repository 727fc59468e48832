// The skills each candidate holds among the relevant ones (the required skills and their near
// neighbours): matching needs only these, and the filter keeps the result small for large pools.
// params: $candidateIds: list of candidate ids, $relevant: list of skill uris
// returns: candidateId, held (list of skill uris)
UNWIND $candidateIds AS candidateId
MATCH (c:Candidate {id: candidateId})
RETURN c.id AS candidateId, [(c)-[:HAS_SKILL]->(s:Skill) WHERE s.uri IN $relevant | s.uri] AS held
