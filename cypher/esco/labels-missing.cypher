// Whether label nodes still have to be built (a graph imported before they existed).
// params: none
// returns: missing (boolean)
RETURN NOT EXISTS { MATCH (:OccupationLabel) } OR NOT EXISTS { MATCH (:SkillLabel) } AS missing
