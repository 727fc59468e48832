// Adds a language's labels (e.g. preferredLabelFr, altLabelsFr) to concepts that already exist.
// params: $rows: list of { uri: string, props: map of translated properties }
// returns: uri of each row whose concept does not exist (missing reference)
UNWIND $rows AS row
OPTIONAL MATCH (n:EscoConcept {uri: row.uri})
FOREACH (_ IN CASE WHEN n IS NULL THEN [] ELSE [1] END | SET n += row.props)
WITH row, n WHERE n IS NULL
RETURN row.uri AS uri
