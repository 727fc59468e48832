// Skills an occupation requires with a relation (essential/optional), one page per key, ordered by preferred label.
// params: $keys: list of { id: string, uri or code: string, relation: string or null, skip: int, limit: int, summary: boolean (identity and English labels only) }
// returns: id, totalCount, items (list of concept projections)
UNWIND $keys AS key
CALL (key) {
  OPTIONAL MATCH (:Occupation {uri: key.uri})-[:REQUIRES {relation: key.relation}]->(m:Skill)
  WITH m ORDER BY m.preferredLabel, m.uri
  WITH collect(m) AS matches
  RETURN size(matches) AS totalCount, [m IN matches[key.skip..(key.skip + key.limit)] | CASE WHEN key.summary THEN m {.uri, .preferredLabel, .altLabels, kind: "Skill"} ELSE m {.uri, .preferredLabel, .altLabels, .description, .preferredLabelFr, .altLabelsFr, .descriptionFr, .skillType, .reuseLevel, kind: "Skill"} END] AS items
}
RETURN key.id AS id, totalCount, items
