// Occupations sharing essential skills with one occupation, by specificity-weighted overlap
// (the graph-side "lexical" candidates of similarOccupations).
// params: $uri: string, $limit: int
// returns: uri, score
MATCH (o:Occupation {uri: $uri})-[:REQUIRES {relation: 'essential'}]->(s:Skill)<-[:REQUIRES {relation: 'essential'}]-(other:Occupation)
WHERE other <> o
WITH other, sum(coalesce(s.specificity, 1.0)) AS shared
RETURN other.uri AS uri, shared / (1.0 + coalesce(other.essentialWeight, 0.0)) AS score
ORDER BY score DESC, uri
LIMIT $limit
