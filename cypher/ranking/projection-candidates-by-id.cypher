// The rows of ranking/projection-candidates for the given candidates (those that still exist):
// the projection reloads what a change record touched.
// params: $ids: list of candidate ids
// returns: id, region, skills, occupations, applied, embedding, gender, ageBand
UNWIND $ids AS id
MATCH (c:Candidate {id: id})
OPTIONAL MATCH (c)-[:HAS_SENSITIVE]->(p:SensitiveProfile)
RETURN c.id AS id, c.region AS region,
  [(c)-[:HAS_SKILL]->(s:Skill) | s.uri] AS skills,
  [(c)-[:WORKED_AS]->(o:Occupation) | {uri: o.uri, iscoGroup: o.iscoGroup, label: o.preferredLabel}] AS occupations,
  [(c)-[a:APPLIED_TO]->(v:Vacancy) | [v.id, a.status, head([(v)-[:OFFERED_BY]->(org:Organization) | org.id])]] AS applied,
  c.embedding AS embedding, p.gender AS gender, p.ageBand AS ageBand
