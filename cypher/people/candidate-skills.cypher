// Skills held by candidates, for each key, ordered by preferred label.
// params: $keys: list of candidate ids
// returns: key, items (list of { source, level, skill: concept projection })
UNWIND $keys AS key
CALL (key) {
  OPTIONAL MATCH (:Candidate {id: key})-[r:HAS_SKILL]->(m:Skill)
  WITH r, m ORDER BY m.preferredLabel, m.uri
  RETURN collect(CASE WHEN m IS NULL THEN null ELSE {source: r.source, level: r.level, skill: m {.uri, .code, .iscoGroup, .preferredLabel, .altLabels, .description, .preferredLabelFr, .altLabelsFr, .descriptionFr, .definition, .scopeNote, .regulatedProfessionNote, .skillType, .reuseLevel, kind: [l IN labels(m) WHERE l IN ["Occupation", "Skill", "IscoGroup", "SkillGroup"]][0]}} END) AS items
}
RETURN key, items
