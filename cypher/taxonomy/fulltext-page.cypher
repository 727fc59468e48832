// A page of a fulltext search over one label index, best first (ties by uri), with the total hit count.
// params: $index: string (fulltext index name), $query: string (escaped Lucene query), $filterProp: string or null, $filterValue: string or null, $skip: int, $limit: int
// returns: totalCount, items (list of { node: concept projection, score })
CALL db.index.fulltext.queryNodes($index, $query) YIELD node, score
WHERE $filterProp IS NULL OR node[$filterProp] = $filterValue
WITH node, score ORDER BY score DESC, node.uri
WITH collect({node: node, score: score}) AS hits
WITH size(hits) AS totalCount, hits[$skip..($skip + $limit)] AS page
CALL (page) {
  UNWIND page AS hit
  WITH hit.node AS n, hit.score AS score
  RETURN collect({score: score, node: n {.uri, .code, .iscoGroup, .preferredLabel, .altLabels, .description, .preferredLabelFr, .altLabelsFr, .descriptionFr, .definition, .scopeNote, .regulatedProfessionNote, .skillType, .reuseLevel, kind: [l IN labels(n) WHERE l IN ["Occupation", "Skill", "IscoGroup", "SkillGroup"]][0]}}) AS items
}
RETURN totalCount, items
