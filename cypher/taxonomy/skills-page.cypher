// A page of skills ordered by preferred label, optionally of one skill type.
// params: $skillType: string or null, $skip: int, $limit: int, $summary: boolean (identity and English labels only)
// returns: node (concept projection)
MATCH (n:Skill)
WHERE n.preferredLabel IS NOT NULL AND ($skillType IS NULL OR n.skillType = $skillType)
WITH n ORDER BY n.preferredLabel, n.uri
SKIP $skip LIMIT $limit
RETURN CASE WHEN $summary THEN n {.uri, .preferredLabel, .altLabels, kind: "Skill"} ELSE n {.uri, .preferredLabel, .altLabels, .description, .preferredLabelFr, .altLabelsFr, .descriptionFr, .skillType, .reuseLevel, kind: "Skill"} END AS node
