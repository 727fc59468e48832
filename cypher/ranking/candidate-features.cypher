// Stage 2 inputs for a pool of candidates against one vacancy: region, occupations (with ISCO
// group), cosine of the stored embedding with the query and the ideal profile vectors, the
// application to this vacancy, and past outcome counts. Nothing sensitive. (Texts for the
// reranker are read for the head only: ranking/candidate-texts.)
// params: $ids: list of candidate ids, $vacancyId: string, $query: list of floats or null, $ideal: list of floats or null
// returns: id, region, occupations, cosine, idealCosine, applicationStatus, applications, progressed
UNWIND $ids AS id
MATCH (c:Candidate {id: id})
CALL (c) {
  OPTIONAL MATCH (c)-[w:WORKED_AS]->(o:Occupation)
  WITH w, o ORDER BY o.preferredLabel
  RETURN collect(CASE WHEN o IS NULL THEN null ELSE {uri: o.uri, iscoGroup: o.iscoGroup, label: o.preferredLabel, years: w.years} END) AS occupations
}
CALL (c) {
  OPTIONAL MATCH (c)-[a:APPLIED_TO]->(:Vacancy)
  RETURN count(a) AS applications, count(CASE WHEN a.status IN ['INTERVIEW', 'HIRED'] THEN 1 END) AS progressed
}
OPTIONAL MATCH (c)-[mine:APPLIED_TO]->(:Vacancy {id: $vacancyId})
RETURN c.id AS id, c.region AS region, occupations,
  CASE WHEN $query IS NULL OR c.embedding IS NULL THEN null ELSE vector.similarity.cosine(c.embedding, $query) END AS cosine,
  CASE WHEN $ideal IS NULL OR c.embedding IS NULL THEN null ELSE vector.similarity.cosine(c.embedding, $ideal) END AS idealCosine,
  mine.status AS applicationStatus, applications, progressed
