// What ranking vacancies for a candidate needs: text parts, region, occupations and skills.
// params: $id: string
// returns: id, summary, region, occupations, skillLabels, hasEmbedding, embedding (null when missing)
MATCH (c:Candidate {id: $id})
CALL (c) {
  OPTIONAL MATCH (c)-[w:WORKED_AS]->(o:Occupation)
  WITH w, o ORDER BY o.preferredLabel
  RETURN collect(CASE WHEN o IS NULL THEN null ELSE {uri: o.uri, iscoGroup: o.iscoGroup, label: o.preferredLabel, years: w.years} END) AS occupations
}
CALL (c) {
  OPTIONAL MATCH (c)-[:HAS_SKILL]->(s:Skill)
  WITH s ORDER BY s.preferredLabel
  RETURN collect(s.preferredLabel) AS skillLabels
}
RETURN c.id AS id, c.summary AS summary, c.region AS region, occupations, skillLabels, c.embedding IS NOT NULL AS hasEmbedding, c.embedding AS embedding
