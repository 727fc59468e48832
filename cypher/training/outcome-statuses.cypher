// Training pairs of the ranking cross-encoder (`npm run train:models`): the applications whose
// status says something about the fit (hired, progressed, rejected), grouped by vacancy.
// params: $statuses (list of application statuses)
// returns: vacancyId, candidateId, status
MATCH (c:Candidate)-[a:APPLIED_TO]->(v:Vacancy)
WHERE a.status IN $statuses
RETURN v.id AS vacancyId, c.id AS candidateId, a.status AS status
ORDER BY vacancyId, candidateId
