// A page of vacancies (newest first, then id), filtered by status, occupation, region and organization.
// A title filter is a case-insensitive substring of the title ($titleContains lower-cased by the caller).
// params: $status: string or null, $occupationUri: string or null, $region: string or null, $organizationId: string or null, $titleContains: string or null, $skip: int, $limit: int
// returns: totalCount, items (list of vacancy projections)
MATCH (v:Vacancy)
WHERE ($status IS NULL OR v.status = $status) AND ($region IS NULL OR v.region = $region)
  AND ($occupationUri IS NULL OR EXISTS { (v)-[:FOR_OCCUPATION]->(:Occupation {uri: $occupationUri}) })
  AND ($organizationId IS NULL OR EXISTS { (v)-[:OFFERED_BY]->(:Organization {id: $organizationId}) })
  AND ($titleContains IS NULL OR toLower(v.title) CONTAINS $titleContains)
WITH v ORDER BY v.postedAt DESC, v.id
WITH collect(v) AS matches
WITH size(matches) AS totalCount, matches[$skip..($skip + $limit)] AS page
CALL (page) {
  UNWIND page AS v
  OPTIONAL MATCH (v)-[:OFFERED_BY]->(o:Organization)
  OPTIONAL MATCH (v)-[:FOR_OCCUPATION]->(occ:Occupation)
  RETURN collect(v {.id, .title, .description, .region, .status, .postedAt, .createdAt, .updatedAt, organizationId: o.id, occupationUri: occ.uri}) AS items
}
RETURN totalCount, items
