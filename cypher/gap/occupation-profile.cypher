// How vacancies for an occupation use skills compared with its ESCO profile: for every skill asked
// by those vacancies or listed by ESCO, how many vacancies ask it and its ESCO relation (or none).
// params: $uri: string
// returns: vacancies (count), skills (list of { uri, label, asked, escoRelation })
MATCH (o:Occupation {uri: $uri})
OPTIONAL MATCH (v:Vacancy)-[:FOR_OCCUPATION]->(o)
WITH o, collect(v) AS vacancies
CALL (o, vacancies) {
  UNWIND vacancies AS v
  MATCH (v)-[:REQUIRES]->(s:Skill)
  RETURN s.uri AS uri, count(v) AS asked
}
WITH o, vacancies, collect({uri: uri, asked: asked}) AS askedSkills
CALL (o) {
  MATCH (o)-[r:REQUIRES]->(s:Skill)
  RETURN collect({uri: s.uri, relation: r.relation}) AS profile
}
WITH o, size(vacancies) AS vacancyCount, askedSkills, profile
WITH o, vacancyCount, askedSkills, profile,
     [x IN askedSkills | x.uri] + [p IN profile WHERE NOT p.uri IN [x IN askedSkills | x.uri] | p.uri] AS uris
UNWIND uris AS uri
MATCH (s:Skill {uri: uri})
RETURN vacancyCount AS vacancies,
  collect({uri: uri, label: s.preferredLabel,
           asked: coalesce(head([x IN askedSkills WHERE x.uri = uri | x.asked]), 0),
           escoRelation: head([p IN profile WHERE p.uri = uri | p.relation])}) AS skills
