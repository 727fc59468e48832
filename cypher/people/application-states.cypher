// What the importer needs to apply the API's rules to a batch of application lines: do both ends
// exist, the vacancy's status and the current application's status (one row per input row, in order).
// params: $rows: list of { candidateId, vacancyId }
// returns: candidateFound, vacancyFound, vacancyStatus, applicationStatus (null when none)
UNWIND $rows AS row
OPTIONAL MATCH (c:Candidate {id: row.candidateId})
OPTIONAL MATCH (v:Vacancy {id: row.vacancyId})
OPTIONAL MATCH (c)-[a:APPLIED_TO]->(v)
RETURN c IS NOT NULL AS candidateFound, v IS NOT NULL AS vacancyFound, v.status AS vacancyStatus, a.status AS applicationStatus
