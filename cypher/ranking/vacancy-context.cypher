// What ranking needs about vacancies: text parts, region, status, the ESCO occupation (labels, ISCO
// group, essential skill labels for the ideal profile) and the stored embedding (null when missing).
// params: $ids: list of vacancy ids
// returns: id, title, description, region, status, hasEmbedding, embedding, occupation (map or null), skillLabels
UNWIND $ids AS id
MATCH (v:Vacancy {id: id})
OPTIONAL MATCH (v)-[:FOR_OCCUPATION]->(o:Occupation)
CALL (o) {
  OPTIONAL MATCH (o)-[:REQUIRES {relation: 'essential'}]->(s:Skill)
  WITH s ORDER BY s.specificity DESC, s.uri
  RETURN collect(s.preferredLabel) AS essentialLabels
}
CALL (v) {
  OPTIONAL MATCH (v)-[:REQUIRES]->(s:Skill)
  WITH s ORDER BY s.preferredLabel
  RETURN collect(s.preferredLabel) AS skillLabels
}
RETURN v.id AS id, v.title AS title, v.description AS description, v.region AS region, v.status AS status,
  v.embedding IS NOT NULL AS hasEmbedding, v.embedding AS embedding, skillLabels,
  CASE WHEN o IS NULL THEN null ELSE {uri: o.uri, iscoGroup: o.iscoGroup, label: o.preferredLabel,
    altLabels: coalesce(o.altLabels, []), essentialSkills: essentialLabels} END AS occupation
