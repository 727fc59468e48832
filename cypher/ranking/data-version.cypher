// The people data version: how many transactions have changed people data, the recorded changes
// (people/record-change, served by the count store without reading any node) plus those folded
// into the base (people/compact-changes). admin/wipe removes both: the count restarts with the
// database.
// params: none
// returns: version (count)
CALL () { MATCH (c:DataChange) RETURN count(c) AS changes }
OPTIONAL MATCH (b:DataVersionBase {id: 'people'})
RETURN coalesce(b.base, 0) + changes AS version
