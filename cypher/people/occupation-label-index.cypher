// Every occupation's uri, code and labels, to resolve occupations given by label or code.
// params: none
// returns: uri, code, preferredLabel, altLabels
MATCH (o:Occupation)
RETURN o.uri AS uri, o.code AS code, o.preferredLabel AS preferredLabel, coalesce(o.altLabels, []) AS altLabels
