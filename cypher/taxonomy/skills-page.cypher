// A page of skills ordered by preferred label, optionally of one skill type.
// params: $skillType: string or null, $skip: int, $limit: int
// returns: node (concept projection)
MATCH (n:Skill)
WHERE n.preferredLabel IS NOT NULL AND ($skillType IS NULL OR n.skillType = $skillType)
WITH n ORDER BY n.preferredLabel, n.uri
SKIP $skip LIMIT $limit
RETURN n {.uri, .code, .iscoGroup, .preferredLabel, .altLabels, .description, .preferredLabelFr, .altLabelsFr, .descriptionFr, .definition, .scopeNote, .regulatedProfessionNote, .skillType, .reuseLevel, kind: [l IN labels(n) WHERE l IN ["Occupation", "Skill", "IscoGroup", "SkillGroup"]][0]} AS node
