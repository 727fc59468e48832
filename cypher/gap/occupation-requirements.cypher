// The skills ESCO occupations require, with relation, label and specificity.
// params: $uris: list of occupation uris
// returns: uri, label, code, iscoGroup, requirements (list of { uri, label, relation, specificity })
UNWIND $uris AS uri
MATCH (o:Occupation {uri: uri})
CALL (o) {
  OPTIONAL MATCH (o)-[r:REQUIRES]->(s:Skill)
  WITH r, s ORDER BY s.preferredLabel
  RETURN collect(CASE WHEN s IS NULL THEN null ELSE {uri: s.uri, label: s.preferredLabel, relation: r.relation, specificity: coalesce(s.specificity, 1.0)} END) AS requirements
}
RETURN o.uri AS uri, o.preferredLabel AS label, o.code AS code, o.iscoGroup AS iscoGroup, requirements
