// A page of candidates (by id), filtered by region, an occupation they worked as, or a skill they hold.
// params: $region: string or null, $occupationUri: string or null, $skillUri: string or null, $skip: int, $limit: int
// returns: totalCount, items (list of candidate projections)
MATCH (c:Candidate)
WHERE ($region IS NULL OR c.region = $region)
  AND ($occupationUri IS NULL OR EXISTS { (c)-[:WORKED_AS]->(:Occupation {uri: $occupationUri}) })
  AND ($skillUri IS NULL OR EXISTS { (c)-[:HAS_SKILL]->(:Skill {uri: $skillUri}) })
WITH c ORDER BY c.id
WITH collect(c) AS matches
RETURN size(matches) AS totalCount, [c IN matches[$skip..($skip + $limit)] | c {.id, .displayName, .region, .yearsExperience, .summary, .createdAt, .updatedAt}] AS items
