// The skills vacancies require, with relation, label and specificity, and each vacancy's ESCO occupation.
// params: $ids: list of vacancy ids
// returns: id, occupationUri, requirements (list of { uri, label, relation, specificity })
UNWIND $ids AS id
MATCH (v:Vacancy {id: id})
OPTIONAL MATCH (v)-[:FOR_OCCUPATION]->(o:Occupation)
CALL (v) {
  OPTIONAL MATCH (v)-[r:REQUIRES]->(s:Skill)
  WITH r, s ORDER BY s.preferredLabel
  RETURN collect(CASE WHEN s IS NULL THEN null ELSE {uri: s.uri, label: s.preferredLabel, relation: r.relation, specificity: coalesce(s.specificity, 1.0)} END) AS requirements
}
RETURN v.id AS id, o.uri AS occupationUri, requirements
