// A page of occupations ordered by preferred label, optionally in one ISCO unit group.
// params: $iscoGroup: string or null, $skip: int, $limit: int, $summary: boolean (identity and English labels only)
// returns: node (concept projection)
MATCH (n:Occupation)
WHERE n.preferredLabel IS NOT NULL AND ($iscoGroup IS NULL OR n.iscoGroup = $iscoGroup)
WITH n ORDER BY n.preferredLabel, n.uri
SKIP $skip LIMIT $limit
RETURN CASE WHEN $summary THEN n {.uri, .code, .iscoGroup, .preferredLabel, .altLabels, kind: "Occupation"} ELSE n {.uri, .code, .iscoGroup, .preferredLabel, .altLabels, .description, .preferredLabelFr, .altLabelsFr, .descriptionFr, .definition, .scopeNote, .regulatedProfessionNote, kind: "Occupation"} END AS node
