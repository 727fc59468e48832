// Folds the recorded changes (people/record-change) into the data version's base, in one
// transaction, when there are at least $min of them: the version (base + changes, see
// ranking/data-version) is the same before and after, and the change nodes no longer accumulate.
// Writers never touch the base or old change nodes, so this waits for none of them.
// params: $min: int (fold only from this many changes)
// returns: folded (count)
CALL () { MATCH (c:DataChange) RETURN count(c) AS changes }
WITH changes WHERE changes >= $min
MERGE (b:DataVersionBase {id: 'people'})
ON CREATE SET b.base = 0
WITH b
MATCH (c:DataChange)
WITH b, collect(c) AS folded
SET b.base = b.base + size(folded)
FOREACH (c IN folded | DELETE c)
RETURN size(folded) AS folded
