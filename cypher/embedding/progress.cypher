// How many nodes of each embedded label have an embedding, for readiness and progress reports.
// params: none
// returns: target, total, embedded
// Embedded = has the property, checked for existence only: `count(n.embedding)` loaded every
// vector (1.5 KB each) and took 19 s at 1M candidates (over the 30 s start-up budget with a cold
// page cache); the existence count took 1.6 s on its first run and 0.5 s after.
CALL () { RETURN 'candidate' AS target, COUNT { (n:Candidate) } AS total, COUNT { (n:Candidate) WHERE n.embedding IS NOT NULL } AS embedded
  UNION ALL RETURN 'vacancy' AS target, COUNT { (n:Vacancy) } AS total, COUNT { (n:Vacancy) WHERE n.embedding IS NOT NULL } AS embedded
  UNION ALL RETURN 'occupation' AS target, COUNT { (n:Occupation) } AS total, COUNT { (n:Occupation) WHERE n.embedding IS NOT NULL } AS embedded
  UNION ALL RETURN 'skill' AS target, COUNT { (n:Skill) } AS total, COUNT { (n:Skill) WHERE n.embedding IS NOT NULL } AS embedded
  UNION ALL RETURN 'occupation-label' AS target, COUNT { (n:OccupationLabel) } AS total, COUNT { (n:OccupationLabel) WHERE n.embedding IS NOT NULL } AS embedded
  UNION ALL RETURN 'skill-label' AS target, COUNT { (n:SkillLabel) } AS total, COUNT { (n:SkillLabel) WHERE n.embedding IS NOT NULL } AS embedded }
RETURN target, total, embedded
