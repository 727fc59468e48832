// Candidates of the in-process candidate projection: what stage 2 reads per candidate (as
// ranking/candidate-features, gap/held-skills and ranking/pool-groups do): region, held skill
// uris, occupations, applications with the vacancy's organization, the stored embedding and the
// audit groups (aggregate fairness figures only; never a ranking feature).
// Two modes, one RETURN: $ids null reads one page in id order after $after (a full load); a list
// of ids reads those candidates that still exist (what a change record touched). The branch not
// taken stops at its parameter filter before any index seek (PROFILE: 0 db hits).
// params: $ids: list of candidate ids or null, $after: string (exclusive; '' from the start), $n: int
// returns: id, region, skills, occupations, applied, embedding, gender, ageBand (in id order)
CALL () {
  WITH $ids AS ids WHERE ids IS NULL
  MATCH (c:Candidate) WHERE c.id > $after
  WITH c ORDER BY c.id LIMIT $n
  RETURN c
  UNION
  WITH $ids AS ids WHERE ids IS NOT NULL
  UNWIND ids AS id
  MATCH (c:Candidate {id: id})
  RETURN c
}
OPTIONAL MATCH (c)-[:HAS_SENSITIVE]->(p:SensitiveProfile)
WITH c, p ORDER BY c.id
RETURN c.id AS id, c.region AS region,
  [(c)-[:HAS_SKILL]->(s:Skill) | s.uri] AS skills,
  [(c)-[:WORKED_AS]->(o:Occupation) | {uri: o.uri, iscoGroup: o.iscoGroup, label: o.preferredLabel}] AS occupations,
  [(c)-[a:APPLIED_TO]->(v:Vacancy) | [v.id, a.status, head([(v)-[:OFFERED_BY]->(org:Organization) | org.id])]] AS applied,
  c.embedding AS embedding, p.gender AS gender, p.ageBand AS ageBand
