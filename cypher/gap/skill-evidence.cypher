// For candidates and required skills: which required skills each candidate holds exactly, and which
// held skills are one step narrower, broader or ESCO-related to a required one (partial credit).
// params: $candidateIds: list of candidate ids, $skillUris: list of required skill uris
// returns: candidateId, held (uris held exactly), near (list of { required, held, heldLabel, kind: narrower|broader|related })
UNWIND $candidateIds AS candidateId
MATCH (c:Candidate {id: candidateId})
CALL (c) {
  OPTIONAL MATCH (c)-[:HAS_SKILL]->(s:Skill)
  WHERE s.uri IN $skillUris
  RETURN collect(s.uri) AS held
}
CALL (c) {
  OPTIONAL MATCH (c)-[:HAS_SKILL]->(h:Skill)-[:BROADER]->(req:Skill)
  WHERE req.uri IN $skillUris
  RETURN collect({required: req.uri, held: h.uri, heldLabel: h.preferredLabel, kind: 'narrower'}) AS narrower
}
CALL (c) {
  OPTIONAL MATCH (c)-[:HAS_SKILL]->(h:Skill)<-[:BROADER]-(req:Skill)
  WHERE req.uri IN $skillUris
  RETURN collect({required: req.uri, held: h.uri, heldLabel: h.preferredLabel, kind: 'broader'}) AS broader
}
CALL (c) {
  OPTIONAL MATCH (c)-[:HAS_SKILL]->(h:Skill)-[:RELATED_SKILL]-(req:Skill)
  WHERE req.uri IN $skillUris
  RETURN collect({required: req.uri, held: h.uri, heldLabel: h.preferredLabel, kind: 'related'}) AS related
}
RETURN c.id AS candidateId, held, [x IN narrower + broader + related WHERE x.required IS NOT NULL] AS near
