// Number of skills, optionally of one skill type.
// params: $skillType: string or null
// returns: totalCount
MATCH (n:Skill)
WHERE $skillType IS NULL OR n.skillType = $skillType
RETURN count(n) AS totalCount
