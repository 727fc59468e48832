// One page of occupations with the uris of the skills they require, for the demo generator.
// Keyset-paged by uri (stable order, no SKIP scans); skill uris are sorted so a snapshot is reproducible.
// params: $after: string or null (the last uri of the previous page), $limit: int
// returns: uri, code, iscoGroup, preferredLabel, altLabels, description, essential (list of skill uris), optional (list of skill uris)
MATCH (o:Occupation)
WHERE $after IS NULL OR o.uri > $after
WITH o ORDER BY o.uri
LIMIT $limit
RETURN o.uri AS uri, o.code AS code, o.iscoGroup AS iscoGroup, o.preferredLabel AS preferredLabel,
  coalesce(o.altLabels, []) AS altLabels, coalesce(o.description, '') AS description,
  COLLECT { MATCH (o)-[r:REQUIRES]->(s:Skill) WHERE r.relation = 'essential' RETURN s.uri ORDER BY s.uri } AS essential,
  COLLECT { MATCH (o)-[r:REQUIRES]->(s:Skill) WHERE r.relation = 'optional' RETURN s.uri ORDER BY s.uri } AS optional
