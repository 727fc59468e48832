// Links a skill to a related skill (ESCO skill-skill relations), with the relation type.
// params: $rows: list of { from: skill uri, to: skill uri, relation: string }
// returns: from, to, missingFrom, missingTo for each row whose ends do not both exist
UNWIND $rows AS row
OPTIONAL MATCH (a:Skill {uri: row.from})
OPTIONAL MATCH (b:Skill {uri: row.to})
FOREACH (_ IN CASE WHEN a IS NULL OR b IS NULL THEN [] ELSE [1] END |
  MERGE (a)-[r:RELATED_SKILL]->(b) SET r.relation = row.relation)
WITH row, a, b WHERE a IS NULL OR b IS NULL
RETURN row.from AS from, row.to AS to, a IS NULL AS missingFrom, b IS NULL AS missingTo
