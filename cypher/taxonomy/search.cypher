// Taxonomy-wide search: the best hits across several fulltext label indexes.
// params: $indexes: list of fulltext index names, $query: string (escaped Lucene query), $limit: int
// returns: node (concept projection), score
UNWIND $indexes AS index
CALL db.index.fulltext.queryNodes(index, $query, {limit: $limit}) YIELD node, score
WITH node, score ORDER BY score DESC, node.uri
LIMIT $limit
RETURN node {.uri, .code, .iscoGroup, .preferredLabel, .altLabels, .description, .preferredLabelFr, .altLabelsFr, .descriptionFr, .definition, .scopeNote, .regulatedProfessionNote, .skillType, .reuseLevel, kind: [l IN labels(node) WHERE l IN ["Occupation", "Skill", "IscoGroup", "SkillGroup"]][0]} AS node, score
