// Provenance of a dataset, if it was imported, with the counts recorded at import.
// params: $name: string
// returns: name, version, importedAt, occupations, skills
MATCH (d:Dataset {name: $name})
RETURN d.name AS name, d.version AS version, d.importedAt AS importedAt,
  coalesce(d.occupations, 0) AS occupations, coalesce(d.skills, 0) AS skills
