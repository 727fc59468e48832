// Vacancies by id, in key order (null where none exists), with their organization id and occupation uri.
// params: $keys: list of strings
// returns: key, node
UNWIND $keys AS key
OPTIONAL MATCH (v:Vacancy {id: key})
OPTIONAL MATCH (v)-[:OFFERED_BY]->(o:Organization)
OPTIONAL MATCH (v)-[:FOR_OCCUPATION]->(occ:Occupation)
RETURN key, CASE WHEN v IS NULL THEN null ELSE v {.id, .title, .description, .region, .status, .postedAt, .createdAt, .updatedAt, organizationId: o.id, occupationUri: occ.uri} END AS node
