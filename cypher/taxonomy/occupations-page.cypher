// A page of occupations ordered by preferred label, optionally in one ISCO unit group, with, for
// each, the skill pages the query selects under it (as taxonomy/occupation-skills-page; none when
// $pages is empty): one round trip instead of two when a client lists occupations with skills.
// params: $iscoGroup: string or null, $skip: int, $limit: int, $summary: boolean (identity and English labels only), $pages: list of { relation: 'essential' or 'optional', skip: int, limit: int, summary: boolean }
// returns: node (concept projection), pages (list of { relation, skip, limit, summary, totalCount, items })
MATCH (n:Occupation)
WHERE n.preferredLabel IS NOT NULL AND ($iscoGroup IS NULL OR n.iscoGroup = $iscoGroup)
WITH n ORDER BY n.preferredLabel, n.uri
SKIP $skip LIMIT $limit
CALL (n) {
  UNWIND $pages AS page
  CALL (n, page) {
    OPTIONAL MATCH (n)-[:REQUIRES {relation: page.relation}]->(m:Skill)
    WITH m ORDER BY m.preferredLabel, m.uri
    WITH collect(m) AS matches
    RETURN size(matches) AS totalCount, [m IN matches[page.skip..(page.skip + page.limit)] | CASE WHEN page.summary THEN m {.uri, .preferredLabel, .altLabels, kind: "Skill"} ELSE m {.uri, .preferredLabel, .altLabels, .description, .preferredLabelFr, .altLabelsFr, .descriptionFr, .skillType, .reuseLevel, kind: "Skill"} END] AS items
  }
  RETURN collect({relation: page.relation, skip: page.skip, limit: page.limit, summary: page.summary, totalCount: totalCount, items: items}) AS pages
}
RETURN CASE WHEN $summary THEN n {.uri, .code, .iscoGroup, .preferredLabel, .altLabels, kind: "Occupation"} ELSE n {.uri, .code, .iscoGroup, .preferredLabel, .altLabels, .description, .preferredLabelFr, .altLabelsFr, .descriptionFr, .definition, .scopeNote, .regulatedProfessionNote, kind: "Occupation"} END AS node, pages
