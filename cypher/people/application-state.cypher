// What a mutation on an application needs to validate: do both ends exist, the vacancy's status, the current application.
// params: $candidateId: string, $vacancyId: string
// returns: candidateFound, vacancyFound, vacancyStatus, applicationStatus (null when none)
OPTIONAL MATCH (c:Candidate {id: $candidateId})
OPTIONAL MATCH (v:Vacancy {id: $vacancyId})
OPTIONAL MATCH (c)-[a:APPLIED_TO]->(v)
RETURN c IS NOT NULL AS candidateFound, v IS NOT NULL AS vacancyFound, v.status AS vacancyStatus, a.status AS applicationStatus
