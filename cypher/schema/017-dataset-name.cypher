// Uniqueness of Dataset.name (also backs every lookup by name).
// params: none
// returns: nothing
CREATE CONSTRAINT dataset_name_unique IF NOT EXISTS FOR (n:Dataset) REQUIRE n.name IS UNIQUE
