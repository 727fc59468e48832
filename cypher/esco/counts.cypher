// Counts of ESCO nodes and relationships, for import summaries and health checks.
// params: none
// returns: occupations, skills, iscoGroups, skillGroups, requires, essential, optional, broader, relatedSkills
CALL () { MATCH (n:Occupation) RETURN count(n) AS occupations }
CALL () { MATCH (n:Skill) RETURN count(n) AS skills }
CALL () { MATCH (n:IscoGroup) RETURN count(n) AS iscoGroups }
CALL () { MATCH (n:SkillGroup) RETURN count(n) AS skillGroups }
CALL () { MATCH (:Occupation)-[r:REQUIRES]->(:Skill) RETURN count(r) AS requires, count(CASE r.relation WHEN 'essential' THEN 1 END) AS essential, count(CASE r.relation WHEN 'optional' THEN 1 END) AS optional }
CALL () { MATCH (:EscoConcept)-[r:BROADER]->(:EscoConcept) RETURN count(r) AS broader }
CALL () { MATCH (:Skill)-[r:RELATED_SKILL]->(:Skill) RETURN count(r) AS relatedSkills }
RETURN occupations, skills, iscoGroups, skillGroups, requires, essential, optional, broader, relatedSkills
