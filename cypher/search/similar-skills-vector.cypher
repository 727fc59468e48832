// Skills nearest to one skill in embedding space (itself excluded).
// params: $uri: string, $n: int
// returns: uri, score
MATCH (s:Skill {uri: $uri})
WHERE s.embedding IS NOT NULL
CALL db.index.vector.queryNodes('skill_embedding', $n + 1, s.embedding) YIELD node, score
WITH s, node, score WHERE node <> s
RETURN node.uri AS uri, score
