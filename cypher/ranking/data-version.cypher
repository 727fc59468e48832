// The people data version: how many transactions have changed people data (people/record-change),
// served by the count store without reading any node. (admin/wipe removes them with everything
// else: the count restarts with the database.)
// params: none
// returns: version (count)
MATCH (c:DataChange)
RETURN count(c) AS version
