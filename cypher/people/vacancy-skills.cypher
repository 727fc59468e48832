// Skills vacancies require, for each key, with the relation, ordered by preferred label.
// params: $keys: list of vacancy ids
// returns: key, items (list of { relation, skill: concept projection })
UNWIND $keys AS key
CALL (key) {
  OPTIONAL MATCH (:Vacancy {id: key})-[r:REQUIRES]->(m:Skill)
  WITH r, m ORDER BY m.preferredLabel, m.uri
  RETURN collect(CASE WHEN m IS NULL THEN null ELSE {relation: r.relation, skill: m {.uri, .code, .iscoGroup, .preferredLabel, .altLabels, .description, .preferredLabelFr, .altLabelsFr, .descriptionFr, .definition, .scopeNote, .regulatedProfessionNote, .skillType, .reuseLevel, kind: [l IN labels(m) WHERE l IN ["Occupation", "Skill", "IscoGroup", "SkillGroup"]][0]}} END) AS items
}
RETURN key, items
