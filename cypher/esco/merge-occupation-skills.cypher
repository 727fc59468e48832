// Links an occupation to a skill it requires, with relation 'essential' or 'optional'.
// params: $rows: list of { from: occupation uri, to: skill uri, relation: string }
// returns: from, to, missingFrom, missingTo for each row whose ends do not both exist
UNWIND $rows AS row
OPTIONAL MATCH (a:Occupation {uri: row.from})
OPTIONAL MATCH (b:Skill {uri: row.to})
FOREACH (_ IN CASE WHEN a IS NULL OR b IS NULL THEN [] ELSE [1] END |
  MERGE (a)-[r:REQUIRES]->(b) SET r.relation = row.relation)
WITH row, a, b WHERE a IS NULL OR b IS NULL
RETURN row.from AS from, row.to AS to, a IS NULL AS missingFrom, b IS NULL AS missingTo
