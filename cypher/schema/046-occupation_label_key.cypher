// Uniqueness of OccupationLabel.key (concept uri | language | text).
// params: none
// returns: nothing
CREATE CONSTRAINT occupation_label_key_unique IF NOT EXISTS FOR (n:OccupationLabel) REQUIRE n.key IS UNIQUE
