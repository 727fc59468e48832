// Training data for learned fusion: every final outcome (HIRED or REJECTED) of an application.
// params: none
// returns: vacancyId, candidateId, status
MATCH (c:Candidate)-[a:APPLIED_TO]->(v:Vacancy)
WHERE a.status IN ['HIRED', 'REJECTED']
RETURN v.id AS vacancyId, c.id AS candidateId, a.status AS status
ORDER BY vacancyId, candidateId
