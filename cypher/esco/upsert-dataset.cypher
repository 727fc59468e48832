// Records provenance of an import: dataset name, version, time, sources and counts.
// params: $name: string, $version: string, $sources: list of strings, $counts: map of integers
// returns: importedAt (datetime)
MERGE (d:Dataset {name: $name})
SET d.version = $version, d.importedAt = datetime(), d.sources = $sources, d += $counts
RETURN d.importedAt AS importedAt
