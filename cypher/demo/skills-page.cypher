// One page of skills (labels and type only), for the demo generator. Keyset-paged by uri.
// params: $after: string or null (the last uri of the previous page), $limit: int
// returns: uri, preferredLabel, altLabels, skillType ('skill/competence', 'knowledge' or null)
MATCH (s:Skill)
WHERE $after IS NULL OR s.uri > $after
WITH s ORDER BY s.uri
LIMIT $limit
RETURN s.uri AS uri, s.preferredLabel AS preferredLabel, coalesce(s.altLabels, []) AS altLabels, s.skillType AS skillType
