// Occupations nearest to one occupation in embedding space (itself excluded).
// params: $uri: string, $n: int
// returns: uri, score
MATCH (o:Occupation {uri: $uri})
WHERE o.embedding IS NOT NULL
CALL db.index.vector.queryNodes('occupation_embedding', $n + 1, o.embedding) YIELD node, score
WITH o, node, score WHERE node <> o
RETURN node.uri AS uri, score
