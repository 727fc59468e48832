// Narrower skills of skills, for each key, ordered by preferred label.
// params: $keys: list of strings
// returns: key, items (list of concept projections)
UNWIND $keys AS key
CALL (key) {
  OPTIONAL MATCH (m:Skill)-[:BROADER]->(:Skill {uri: key})
  WITH m ORDER BY m.preferredLabel, m.uri
  RETURN collect(m {.uri, .code, .iscoGroup, .preferredLabel, .altLabels, .description, .preferredLabelFr, .altLabelsFr, .descriptionFr, .definition, .scopeNote, .regulatedProfessionNote, .skillType, .reuseLevel, kind: [l IN labels(m) WHERE l IN ["Occupation", "Skill", "IscoGroup", "SkillGroup"]][0]}) AS items
}
RETURN key, items
