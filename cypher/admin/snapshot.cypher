// Everything the API can change (people data, applications, provenance), for before/after
// comparisons in tests: each node's labels and properties with its outgoing relationships.
// params: none
// returns: labels, props, rels (list of { type, target, props })
MATCH (n)
WHERE n:Candidate OR n:Vacancy OR n:Organization OR n:SensitiveProfile OR n:Dataset
CALL (n) {
  OPTIONAL MATCH (n)-[r]->(m)
  WITH r, m ORDER BY type(r), coalesce(m.uri, m.id, elementId(m))
  RETURN collect(CASE WHEN r IS NULL THEN null ELSE {type: type(r), target: coalesce(m.uri, m.id, 'profile'), props: properties(r)} END) AS rels
}
RETURN labels(n) AS labels, properties(n) AS props, rels
