// Range index on Occupation.iscoGroup (occupations of an ISCO group).
// params: none
// returns: nothing
CREATE INDEX occupation_isco_group IF NOT EXISTS FOR (n:Occupation) ON (n.iscoGroup)
