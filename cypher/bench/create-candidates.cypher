// Benchmark only (scaling a store up past what the importer loads in a benchmark's time): creates
// new candidates with their skills, occupations, audit-only profile and stored vector in one
// statement. Ids must be new (CREATE, no replace); skill and occupation uris must exist.
// params: $rows: list of { id, props: {displayName, region, yearsExperience, summary}, skills: [{uri, source, level}], occupations: [{uri, years}], sensitive: map or null, vector: list of floats }
// returns: written (count)
UNWIND $rows AS row
CREATE (c:Candidate {id: row.id})
SET c += row.props, c.createdAt = datetime(), c.updatedAt = datetime()
WITH c, row
CALL db.create.setNodeVectorProperty(c, 'embedding', row.vector)
CALL (c, row) {
  UNWIND row.skills AS s
  MATCH (k:Skill {uri: s.uri})
  CREATE (c)-[:HAS_SKILL {source: s.source, level: s.level}]->(k)
}
CALL (c, row) {
  UNWIND row.occupations AS o
  MATCH (k:Occupation {uri: o.uri})
  CREATE (c)-[:WORKED_AS {years: o.years}]->(k)
}
CALL (c, row) {
  WITH row WHERE row.sensitive IS NOT NULL
  CREATE (c)-[:HAS_SENSITIVE]->(p:SensitiveProfile)
  SET p += row.sensitive
}
RETURN count(c) AS written
