// Every region named by a vacancy or a candidate, as stored, with how many open vacancies and
// candidates name it (the service groups spellings that differ only in case and spacing).
// params: none
// returns: name, openVacancies, candidates
CALL () {
  MATCH (v:Vacancy {status: 'OPEN'})
  WHERE v.region IS NOT NULL
  RETURN v.region AS name, count(v) AS openVacancies, 0 AS candidates
  UNION ALL
  MATCH (c:Candidate)
  WHERE c.region IS NOT NULL
  RETURN c.region AS name, 0 AS openVacancies, count(c) AS candidates
}
RETURN name, sum(openVacancies) AS openVacancies, sum(candidates) AS candidates
ORDER BY name
