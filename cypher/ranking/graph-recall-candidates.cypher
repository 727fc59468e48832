// Stage 1, graph: candidates holding the vacancy's essential skills, by specificity-weighted count,
// then by id. The in-process projection answers the same recall from its skill → holder index
// (`holderIndex.ts`, the same sums and order); this statement serves while it loads or when it is
// off. Cost grows with the number of holders of those skills (about 200k rows at 1M candidates),
// so each row does as little as possible: the weight is read once per skill, and HAS_SKILL is
// taken to start at a Candidate (the graph model's only source of it; no label check per row).
// A candidate holds a skill once: every writer of the project merges repeats (peopleRows.ts,
// scaleUp.ts); parallel HAS_SKILL edges from an outside writer would count twice here, once there.
// params: $skillUris: list of essential skill uris, $n: int
// returns: id, weight
UNWIND $skillUris AS uri
MATCH (s:Skill {uri: uri})
WITH s, coalesce(s.specificity, 1.0) AS w
MATCH (s)<-[:HAS_SKILL]-(c)
WITH c, sum(w) AS weight
WITH c.id AS id, weight
ORDER BY weight DESC, id
LIMIT $n
RETURN id, weight
