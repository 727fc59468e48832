// Stage 1, graph: candidates holding the vacancy's essential skills, by specificity-weighted count.
// Cost grows with the number of holders of those skills (about 200k rows at 1M candidates), so each
// row does as little as possible: the weight is read once per skill, HAS_SKILL is taken to start at
// a Candidate (the graph model's only source of it; no label check per row), and ties are broken
// by elementId (deterministic for a store, no property read) instead of by c.id. Measured at 1M:
// 312 -> 229 ms p50, 563k -> 204k db hits.
// params: $skillUris: list of essential skill uris, $n: int
// returns: id, weight
UNWIND $skillUris AS uri
MATCH (s:Skill {uri: uri})
WITH s, coalesce(s.specificity, 1.0) AS w
MATCH (s)<-[:HAS_SKILL]-(c)
WITH c, sum(w) AS weight
ORDER BY weight DESC, elementId(c)
LIMIT $n
RETURN c.id AS id, weight
