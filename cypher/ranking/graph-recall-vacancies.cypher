// Stage 1, graph, for rankVacancies: vacancies whose essential skills the candidate holds, by
// specificity-weighted count.
// params: $candidateId: string, $n: int
// returns: id, weight
MATCH (:Candidate {id: $candidateId})-[:HAS_SKILL]->(s:Skill)<-[:REQUIRES {relation: 'essential'}]-(v:Vacancy)
WITH v, sum(coalesce(s.specificity, 1.0)) AS weight
ORDER BY weight DESC, v.id
LIMIT $n
RETURN v.id AS id, weight
