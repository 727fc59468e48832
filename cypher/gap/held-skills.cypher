// The skills each candidate holds among the relevant ones (the required skills and their near
// neighbours): matching needs only these, and the filter keeps the result small for large pools.
// The relevant skills are found once and compared as nodes, so a held skill's uri is read only
// when it is relevant.
// params: $candidateIds: list of candidate ids, $relevant: list of skill uris
// returns: candidateId, held (list of skill uris)
OPTIONAL MATCH (s:Skill) WHERE s.uri IN $relevant
WITH collect(s) AS relevant
UNWIND $candidateIds AS candidateId
MATCH (c:Candidate {id: candidateId})
RETURN c.id AS candidateId, [(c)-[:HAS_SKILL]->(s) WHERE s IN relevant | s.uri] AS held
