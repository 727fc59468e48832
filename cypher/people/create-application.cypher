// Records a new application (the caller checked that both ends exist and none exists yet).
// params: $candidateId: string, $vacancyId: string, $status: string, $at: ISO string or null
// returns: candidateId, vacancyId, status, at, updatedAt
MATCH (c:Candidate {id: $candidateId})
MATCH (v:Vacancy {id: $vacancyId})
CREATE (c)-[a:APPLIED_TO {status: $status, at: coalesce(datetime($at), datetime())}]->(v)
SET a.updatedAt = a.at
RETURN c.id AS candidateId, v.id AS vacancyId, a.status AS status, a.at AS at, a.updatedAt AS updatedAt
