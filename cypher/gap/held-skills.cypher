// The skills each candidate holds (uris), for matching against requirements in the service.
// params: $candidateIds: list of candidate ids
// returns: candidateId, held (list of skill uris)
UNWIND $candidateIds AS candidateId
MATCH (c:Candidate {id: candidateId})
RETURN c.id AS candidateId, [(c)-[:HAS_SKILL]->(s:Skill) | s.uri] AS held
