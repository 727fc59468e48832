// Skills near one skill in the ESCO graph: related skills, hierarchy neighbours and skills often
// required together by occupations (co-occurrence).
// params: $uri: string, $limit: int
// returns: uri, score
MATCH (s:Skill {uri: $uri})
CALL (s) {
  MATCH (s)-[:RELATED_SKILL|BROADER]-(n:Skill) RETURN n, 3.0 AS weight
  UNION ALL
  MATCH (s)<-[:REQUIRES]-(:Occupation)-[:REQUIRES]->(n:Skill) WHERE n <> s RETURN n, 1.0 / (1.0 + coalesce(n.occupationCount, 0)) AS weight
}
WITH n, sum(weight) AS score
RETURN n.uri AS uri, score
ORDER BY score DESC, uri
LIMIT $limit
