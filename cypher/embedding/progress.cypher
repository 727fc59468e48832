// How many nodes of each embedded label have an embedding, for readiness and progress reports.
// params: none
// returns: target, total, embedded
CALL () { MATCH (n:Candidate) RETURN 'candidate' AS target, count(n) AS total, count(n.embedding) AS embedded
  UNION ALL MATCH (n:Vacancy) RETURN 'vacancy' AS target, count(n) AS total, count(n.embedding) AS embedded
  UNION ALL MATCH (n:Occupation) RETURN 'occupation' AS target, count(n) AS total, count(n.embedding) AS embedded
  UNION ALL MATCH (n:Skill) RETURN 'skill' AS target, count(n) AS total, count(n.embedding) AS embedded
  UNION ALL MATCH (n:OccupationLabel) RETURN 'occupation-label' AS target, count(n) AS total, count(n.embedding) AS embedded
  UNION ALL MATCH (n:SkillLabel) RETURN 'skill-label' AS target, count(n) AS total, count(n.embedding) AS embedded }
RETURN target, total, embedded
