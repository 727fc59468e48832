// Organizations by id, in key order.
// params: $keys: list of strings
// returns: key, node ({id, name})
UNWIND $keys AS key
OPTIONAL MATCH (o:Organization {id: key})
RETURN key, CASE WHEN o IS NULL THEN null ELSE o {.id, .name} END AS node
