// Occupations a candidate is closest to by specificity-weighted coverage of their essential skills
// (exact matches; the service adds partial credit), optionally within an ISCO group (code prefix).
// Never an occupation the candidate already works or worked as: a career path is a move.
// params: $candidateId: string, $iscoGroup: string or null, $limit: int
// returns: uri, exactWeightedCoverage
MATCH (c:Candidate {id: $candidateId})-[:HAS_SKILL]->(s:Skill)<-[r:REQUIRES {relation: 'essential'}]-(o:Occupation)
WHERE ($iscoGroup IS NULL OR o.iscoGroup STARTS WITH $iscoGroup)
  AND NOT EXISTS { (c)-[:WORKED_AS]->(o) }
WITH o, sum(s.specificity) AS heldWeight
WITH o, heldWeight / CASE WHEN o.essentialWeight > 0 THEN o.essentialWeight ELSE 1.0 END AS exactWeightedCoverage
ORDER BY exactWeightedCoverage DESC, o.uri
LIMIT $limit
RETURN o.uri AS uri, exactWeightedCoverage
