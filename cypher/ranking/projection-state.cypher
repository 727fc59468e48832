// Where the people data stands, for the in-process candidate projection: the data version (as
// ranking/data-version), its folded base, the ids of the change records not folded yet, and the
// number of candidates (count store; a write that bypassed people/record-change shows here).
// Records written before they carried ids count in the version but have no id to list.
// params: none
// returns: version, base, changes (list of change ids), candidates
CALL () { MATCH (d:DataChange) RETURN count(d) AS recorded, collect(d.id) AS changes }
CALL () { MATCH (c:Candidate) RETURN count(c) AS candidates }
OPTIONAL MATCH (b:DataVersionBase {id: 'people'})
RETURN coalesce(b.base, 0) + recorded AS version, coalesce(b.base, 0) AS base, changes, candidates
