// For one candidate: each held skill one step away from one of the given required skills, seen
// from the candidate's side (a handful of held skills instead of thousands of required ones, as
// when one person is matched against many vacancies). Kinds as in gap/near-skills: narrower (the
// held skill is a child of the required one), broader (its parent), related.
// params: $candidateId: string, $skillUris: list of required skill uris
// returns: required, held, heldLabel, kind
MATCH (:Candidate {id: $candidateId})-[:HAS_SKILL]->(h:Skill)
CALL (h) {
  MATCH (h)-[:BROADER]->(req:Skill) RETURN req, 'narrower' AS kind
  UNION
  MATCH (req:Skill)-[:BROADER]->(h) RETURN req, 'broader' AS kind
  UNION
  MATCH (req:Skill)-[:RELATED_SKILL]-(h) RETURN req, 'related' AS kind
}
WITH h, req, kind
WHERE req.uri IN $skillUris
RETURN req.uri AS required, h.uri AS held, h.preferredLabel AS heldLabel, kind
