// Moves an application to a new status (the caller checked the transition).
// params: $candidateId: string, $vacancyId: string, $status: string
// returns: candidateId, vacancyId, status, at, updatedAt
MATCH (c:Candidate {id: $candidateId})-[a:APPLIED_TO]->(v:Vacancy {id: $vacancyId})
SET a.status = $status, a.updatedAt = datetime()
RETURN c.id AS candidateId, v.id AS vacancyId, a.status AS status, a.at AS at, a.updatedAt AS updatedAt
