// Candidates by id, in key order (null where none exists). Never returns sensitive attributes.
// params: $keys: list of strings
// returns: key, node
UNWIND $keys AS key
OPTIONAL MATCH (c:Candidate {id: key})
RETURN key, CASE WHEN c IS NULL THEN null ELSE c {.id, .displayName, .region, .yearsExperience, .summary, .createdAt, .updatedAt} END AS node
