// Range index on Occupation.preferredLabel (ordered pages).
// params: none
// returns: nothing
CREATE INDEX occupation_preferred_label IF NOT EXISTS FOR (n:Occupation) ON (n.preferredLabel)
