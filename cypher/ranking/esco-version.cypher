// The ESCO version in the graph, for ranking provenance.
// params: none
// returns: version
OPTIONAL MATCH (d:Dataset {name: 'ESCO'})
RETURN coalesce(d.version, 'unknown') AS version
