// Creates or replaces vacancies: properties, organization, ESCO occupation and required skills.
// params: $rows: list of { id, props: {title, description, region, status, postedAt}, organization: {id, name} or null, occupationUri: string or null, skills: [{uri, relation}] }
// returns: written (count)
UNWIND $rows AS row
MERGE (v:Vacancy {id: row.id})
ON CREATE SET v.createdAt = datetime()
SET v += row.props, v.postedAt = CASE WHEN row.postedAt IS NULL THEN null ELSE datetime(row.postedAt) END,
    v.updatedAt = datetime()
REMOVE v.embedding
WITH v, row
CALL (v) {
  OPTIONAL MATCH (v)-[r:REQUIRES|FOR_OCCUPATION|OFFERED_BY]->()
  DELETE r
}
CALL (v, row) {
  WITH row WHERE row.organization IS NOT NULL
  MERGE (o:Organization {id: row.organization.id})
  SET o.name = row.organization.name
  CREATE (v)-[:OFFERED_BY]->(o)
}
CALL (v, row) {
  WITH row WHERE row.occupationUri IS NOT NULL
  MATCH (o:Occupation {uri: row.occupationUri})
  CREATE (v)-[:FOR_OCCUPATION]->(o)
}
CALL (v, row) {
  UNWIND row.skills AS s
  MATCH (k:Skill {uri: s.uri})
  CREATE (v)-[:REQUIRES {relation: s.relation}]->(k)
}
RETURN count(v) AS written
