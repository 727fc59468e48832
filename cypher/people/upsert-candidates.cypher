// Creates or replaces candidates: properties, skills, occupations and the audit-only sensitive profile.
// Skill and occupation uris are resolved beforehand, so every MATCH finds its node.
// params: $rows: list of { id, props: {displayName, region, yearsExperience, summary}, skills: [{uri, source, level}], occupations: [{uri, years}], sensitive: map or null }
// returns: written (count)
UNWIND $rows AS row
MERGE (c:Candidate {id: row.id})
ON CREATE SET c.createdAt = datetime()
SET c += row.props, c.updatedAt = datetime()
REMOVE c.embedding
WITH c, row
CALL (c) {
  OPTIONAL MATCH (c)-[r:HAS_SKILL|WORKED_AS]->()
  DELETE r
}
CALL (c) {
  OPTIONAL MATCH (c)-[:HAS_SENSITIVE]->(old:SensitiveProfile)
  DETACH DELETE old
}
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
