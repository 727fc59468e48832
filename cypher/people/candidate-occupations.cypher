// Occupations candidates worked as, for each key, most years first.
// params: $keys: list of candidate ids
// returns: key, items (list of { years, occupation: concept projection })
UNWIND $keys AS key
CALL (key) {
  OPTIONAL MATCH (:Candidate {id: key})-[r:WORKED_AS]->(m:Occupation)
  WITH r, m ORDER BY coalesce(r.years, 0) DESC, m.preferredLabel
  RETURN collect(CASE WHEN m IS NULL THEN null ELSE {years: r.years, occupation: m {.uri, .code, .iscoGroup, .preferredLabel, .altLabels, .description, .preferredLabelFr, .altLabelsFr, .descriptionFr, .definition, .scopeNote, .regulatedProfessionNote, .skillType, .reuseLevel, kind: [l IN labels(m) WHERE l IN ["Occupation", "Skill", "IscoGroup", "SkillGroup"]][0]}} END) AS items
}
RETURN key, items
