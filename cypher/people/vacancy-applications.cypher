// Applications to vacancies, for each key (vacancy id and an optional status), newest first.
// params: $keys: list of { id: string (request key), owner: vacancy id, status: string or null }
// returns: id, items (list of { candidateId, vacancyId, status, at, updatedAt })
UNWIND $keys AS key
CALL (key) {
  OPTIONAL MATCH (c:Candidate)-[a:APPLIED_TO]->(v:Vacancy {id: key.owner})
  WHERE key.status IS NULL OR a.status = key.status
  WITH c, a, v ORDER BY a.at DESC, c.id
  RETURN collect(CASE WHEN a IS NULL THEN null ELSE {candidateId: c.id, vacancyId: v.id, status: a.status, at: a.at, updatedAt: a.updatedAt} END) AS items
}
RETURN key.id AS id, items
