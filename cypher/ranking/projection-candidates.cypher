// One page of the in-process candidate projection, in id order after $after: what stage 2 reads
// per candidate (as ranking/candidate-features, gap/held-skills and ranking/pool-groups do): region,
// held skill uris, occupations, applications with the vacancy's organization, the stored embedding
// and the audit groups (aggregate fairness figures only; never a ranking feature).
// params: $after: string (exclusive; '' from the start), $n: int
// returns: id, region, skills, occupations, applied, embedding, gender, ageBand
MATCH (c:Candidate) WHERE c.id > $after
WITH c ORDER BY c.id LIMIT $n
OPTIONAL MATCH (c)-[:HAS_SENSITIVE]->(p:SensitiveProfile)
RETURN c.id AS id, c.region AS region,
  [(c)-[:HAS_SKILL]->(s:Skill) | s.uri] AS skills,
  [(c)-[:WORKED_AS]->(o:Occupation) | {uri: o.uri, iscoGroup: o.iscoGroup, label: o.preferredLabel}] AS occupations,
  [(c)-[a:APPLIED_TO]->(v:Vacancy) | [v.id, a.status, head([(v)-[:OFFERED_BY]->(org:Organization) | org.id])]] AS applied,
  c.embedding AS embedding, p.gender AS gender, p.ageBand AS ageBand
