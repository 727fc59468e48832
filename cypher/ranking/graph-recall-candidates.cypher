// Stage 1, graph: candidates holding the vacancy's essential skills, by specificity-weighted count.
// params: $skillUris: list of essential skill uris, $n: int
// returns: id, weight
UNWIND $skillUris AS uri
MATCH (s:Skill {uri: uri})
WITH s, coalesce(s.specificity, 1.0) AS w
MATCH (s)<-[:HAS_SKILL]-(c:Candidate)
WITH c, sum(w) AS weight
ORDER BY weight DESC, c.id
LIMIT $n
RETURN c.id AS id, weight
