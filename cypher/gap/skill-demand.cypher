// Demand for skills in open vacancies and supply among candidates, in one facet: counts only,
// never a per-person value. The facet is the same on both sides: region (the candidate's region),
// and for an occupation or ISCO group the candidates who work or worked as one in it. Returns the
// facet's sizes (the denominators of the shares the service divides) and every skill asked there.
// params: $occupationUri: string or null, $iscoGroup: string or null, $regions: list of stored region names or null, $since: ISO string or null
// returns: vacancies (open, in the facet), candidates (in the facet), skills (list of { uri, label, demand, essentialDemand, supply })
MATCH (v:Vacancy {status: 'OPEN'})
WHERE ($regions IS NULL OR v.region IN $regions)
  AND ($since IS NULL OR v.postedAt >= datetime($since))
  AND ($occupationUri IS NULL OR EXISTS { (v)-[:FOR_OCCUPATION]->(:Occupation {uri: $occupationUri}) })
  AND ($iscoGroup IS NULL OR EXISTS { (v)-[:FOR_OCCUPATION]->(o:Occupation) WHERE o.iscoGroup STARTS WITH $iscoGroup })
WITH collect(v) AS vacancies
CALL () {
  MATCH (c:Candidate)
  WHERE ($regions IS NULL OR c.region IN $regions)
    AND ($occupationUri IS NULL OR EXISTS { (c)-[:WORKED_AS]->(:Occupation {uri: $occupationUri}) })
    AND ($iscoGroup IS NULL OR EXISTS { (c)-[:WORKED_AS]->(o:Occupation) WHERE o.iscoGroup STARTS WITH $iscoGroup })
  RETURN count(c) AS candidates
}
CALL (vacancies) {
  UNWIND vacancies AS v
  MATCH (v)-[r:REQUIRES]->(s:Skill)
  WITH s, count(v) AS demand, count(CASE r.relation WHEN 'essential' THEN 1 END) AS essentialDemand
  CALL (s) {
    MATCH (c:Candidate)-[:HAS_SKILL]->(s)
    WHERE ($regions IS NULL OR c.region IN $regions)
      AND ($occupationUri IS NULL OR EXISTS { (c)-[:WORKED_AS]->(:Occupation {uri: $occupationUri}) })
      AND ($iscoGroup IS NULL OR EXISTS { (c)-[:WORKED_AS]->(o:Occupation) WHERE o.iscoGroup STARTS WITH $iscoGroup })
    RETURN count(c) AS supply
  }
  RETURN collect({uri: s.uri, label: s.preferredLabel, demand: demand, essentialDemand: essentialDemand, supply: supply}) AS skills
}
RETURN size(vacancies) AS vacancies, candidates, skills
