// Every skill's uri and labels, to resolve skills given by label (case-insensitive) in memory.
// params: none
// returns: uri, preferredLabel, altLabels
MATCH (s:Skill)
RETURN s.uri AS uri, s.preferredLabel AS preferredLabel, coalesce(s.altLabels, []) AS altLabels
