// Right to erasure: removes a candidate, every edge (skills, occupations, applications) and the sensitive profile.
// params: $id: string
// returns: deleted (count of candidates removed), applications (count of applications removed)
OPTIONAL MATCH (c:Candidate {id: $id})
CALL (c) {
  OPTIONAL MATCH (c)-[a:APPLIED_TO]->()
  RETURN count(a) AS applications
}
CALL (c) {
  OPTIONAL MATCH (c)-[:HAS_SENSITIVE]->(p:SensitiveProfile)
  DETACH DELETE p
}
WITH c, applications, CASE WHEN c IS NULL THEN 0 ELSE 1 END AS deleted
DETACH DELETE c
RETURN deleted, applications
