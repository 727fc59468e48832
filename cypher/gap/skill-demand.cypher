// Demand for skills in open vacancies (filtered) and supply among candidates (in the region when
// given): counts only, never a per-person value.
// params: $occupationUri: string or null, $iscoGroup: string or null, $region: string or null, $since: ISO string or null, $limit: int
// returns: uri, label, demand (vacancies asking), essentialDemand, supply (candidates holding), vacancies (in the filter)
MATCH (v:Vacancy {status: 'OPEN'})
WHERE ($region IS NULL OR v.region = $region)
  AND ($since IS NULL OR v.postedAt >= datetime($since))
  AND ($occupationUri IS NULL OR EXISTS { (v)-[:FOR_OCCUPATION]->(:Occupation {uri: $occupationUri}) })
  AND ($iscoGroup IS NULL OR EXISTS { (v)-[:FOR_OCCUPATION]->(o:Occupation) WHERE o.iscoGroup STARTS WITH $iscoGroup })
WITH collect(v) AS vacancies
UNWIND vacancies AS v
MATCH (v)-[r:REQUIRES]->(s:Skill)
WITH size(vacancies) AS vacancyCount, s, count(v) AS demand, count(CASE r.relation WHEN 'essential' THEN 1 END) AS essentialDemand
ORDER BY demand DESC, s.uri
LIMIT $limit
CALL (s) {
  MATCH (c:Candidate)-[:HAS_SKILL]->(s)
  WHERE $region IS NULL OR c.region = $region
  RETURN count(c) AS supply
}
RETURN s.uri AS uri, s.preferredLabel AS label, demand, essentialDemand, supply, vacancyCount AS vacancies
