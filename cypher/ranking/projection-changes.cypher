// What the given change records touched (people/record-change), and every candidate that applied
// to a touched vacancy (their applications carry the vacancy's organization).
// params: $ids: list of change ids
// returns: candidates (list of ids), all (true when a record names nothing)
MATCH (d:DataChange) WHERE d.id IN $ids
WITH collect(d) AS changes
WITH changes,
  reduce(acc = [], d IN changes | acc + coalesce(d.candidates, [])) AS direct,
  reduce(acc = [], d IN changes | acc + coalesce(d.vacancies, [])) AS vacancies,
  any(d IN changes WHERE d.candidates IS NULL AND d.vacancies IS NULL) AS all
CALL (vacancies) {
  UNWIND vacancies AS vacancyId
  MATCH (:Vacancy {id: vacancyId})<-[:APPLIED_TO]-(c:Candidate)
  RETURN collect(DISTINCT c.id) AS applicants
}
RETURN direct + applicants AS candidates, all
