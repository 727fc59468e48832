// Links a concept to its broader concept (occupation and skill pillars, groups included).
// params: $rows: list of { from: uri, to: uri }
// returns: from, to, missingFrom, missingTo for each row whose ends do not both exist
UNWIND $rows AS row
OPTIONAL MATCH (a:EscoConcept {uri: row.from})
OPTIONAL MATCH (b:EscoConcept {uri: row.to})
FOREACH (_ IN CASE WHEN a IS NULL OR b IS NULL THEN [] ELSE [1] END | MERGE (a)-[:BROADER]->(b))
WITH row, a, b WHERE a IS NULL OR b IS NULL
RETURN row.from AS from, row.to AS to, a IS NULL AS missingFrom, b IS NULL AS missingTo
