// Skill specificity (rarer skills weigh more): an IDF over ESCO occupations,
// specificity = 1 + ln((N + 1) / (df + 1)) with df the number of occupations requiring the skill;
// and for each occupation the sums of its essential and optional skills' specificity.
// params: none
// returns: skills (count updated)
MATCH (o:Occupation)
WITH count(o) AS n
MATCH (s:Skill)
WITH n, s, COUNT { (:Occupation)-[:REQUIRES]->(s) } AS df
SET s.occupationCount = df, s.specificity = 1.0 + log((n + 1.0) / (df + 1.0))
WITH count(s) AS skills
CALL () {
  MATCH (o:Occupation)
  OPTIONAL MATCH (o)-[r:REQUIRES]->(s:Skill)
  WITH o, sum(CASE r.relation WHEN 'essential' THEN s.specificity ELSE 0.0 END) AS essentialWeight,
          sum(CASE r.relation WHEN 'optional' THEN s.specificity ELSE 0.0 END) AS optionalWeight,
          count(CASE r.relation WHEN 'essential' THEN 1 END) AS essentialCount
  SET o.essentialWeight = essentialWeight, o.optionalWeight = optionalWeight, o.essentialCount = essentialCount
}
RETURN skills
