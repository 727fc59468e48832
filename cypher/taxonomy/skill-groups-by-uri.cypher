// SkillGroup nodes by uri, in the order of the keys given (null where none exists).
// params: $keys: list of strings
// returns: key, node (concept projection, or null)
UNWIND $keys AS key
OPTIONAL MATCH (n:SkillGroup {uri: key})
RETURN key, CASE WHEN n IS NULL THEN null ELSE n {.uri, .code, .iscoGroup, .preferredLabel, .altLabels, .description, .preferredLabelFr, .altLabelsFr, .descriptionFr, .definition, .scopeNote, .regulatedProfessionNote, .skillType, .reuseLevel, kind: [l IN labels(n) WHERE l IN ["Occupation", "Skill", "IscoGroup", "SkillGroup"]][0]} END AS node
