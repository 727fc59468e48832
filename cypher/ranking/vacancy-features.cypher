// Stage 2 inputs for a pool of vacancies against one candidate: status, region, occupation, text
// parts, cosine of each vacancy with the query (candidate) vector, cosine of the candidate's stored
// embedding with the vacancy occupation's embedding (the ESCO-built ideal side), prior application.
// params: $ids: list of vacancy ids, $candidateId: string, $query: list of floats or null
// returns: id, title, description, region, status, organizationId, occupation, skillLabels, cosine, idealCosine, applicationStatus
MATCH (c:Candidate {id: $candidateId})
UNWIND $ids AS id
MATCH (v:Vacancy {id: id})
OPTIONAL MATCH (v)-[:FOR_OCCUPATION]->(o:Occupation)
OPTIONAL MATCH (v)-[:OFFERED_BY]->(org:Organization)
CALL (v) {
  OPTIONAL MATCH (v)-[:REQUIRES]->(s:Skill)
  WITH s ORDER BY s.preferredLabel
  RETURN collect(s.preferredLabel) AS skillLabels
}
OPTIONAL MATCH (c)-[mine:APPLIED_TO]->(v)
RETURN v.id AS id, v.title AS title, v.description AS description, v.region AS region, v.status AS status, org.id AS organizationId,
  CASE WHEN o IS NULL THEN null ELSE {uri: o.uri, iscoGroup: o.iscoGroup, label: o.preferredLabel} END AS occupation,
  skillLabels,
  CASE WHEN $query IS NULL OR v.embedding IS NULL THEN null ELSE vector.similarity.cosine(v.embedding, $query) END AS cosine,
  CASE WHEN c.embedding IS NULL OR o.embedding IS NULL THEN null ELSE vector.similarity.cosine(c.embedding, o.embedding) END AS idealCosine,
  mine.status AS applicationStatus
