// A page of occupations ordered by preferred label, optionally in one ISCO unit group.
// params: $iscoGroup: string or null, $skip: int, $limit: int
// returns: node (concept projection)
MATCH (n:Occupation)
WHERE n.preferredLabel IS NOT NULL AND ($iscoGroup IS NULL OR n.iscoGroup = $iscoGroup)
WITH n ORDER BY n.preferredLabel, n.uri
SKIP $skip LIMIT $limit
RETURN n {.uri, .code, .iscoGroup, .preferredLabel, .altLabels, .description, .preferredLabelFr, .altLabelsFr, .descriptionFr, .definition, .scopeNote, .regulatedProfessionNote, .skillType, .reuseLevel, kind: [l IN labels(n) WHERE l IN ["Occupation", "Skill", "IscoGroup", "SkillGroup"]][0]} AS node
