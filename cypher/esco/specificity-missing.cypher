// Whether skill specificity still has to be computed (a graph imported before it existed).
// params: none
// returns: missing (boolean)
RETURN EXISTS { MATCH (s:Skill) WHERE s.specificity IS NULL } AS missing
