// Uniqueness of DataVersionBase.id: one base per data version, even when two processes compact at once.
// params: none
// returns: nothing
CREATE CONSTRAINT data_version_base_id_unique IF NOT EXISTS FOR (n:DataVersionBase) REQUIRE n.id IS UNIQUE
