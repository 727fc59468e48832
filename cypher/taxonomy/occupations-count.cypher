// Number of occupations, optionally in one ISCO unit group (count store / index, no node loads).
// params: $iscoGroup: string or null
// returns: totalCount
MATCH (n:Occupation)
WHERE $iscoGroup IS NULL OR n.iscoGroup = $iscoGroup
RETURN count(n) AS totalCount
