// Records that people data changed (run once in every transaction that writes candidates,
// vacancies or applications, or erases a candidate). The count of DataChange nodes, read from the
// count store (ranking/data-version), is the data version every process sees: a write by another
// process (an import, another replica) invalidates cached rankings at once. Each record names
// what it touched (ids; `all` when a write cannot say), so the in-process candidate projection
// (ranking/projection-*) reloads only those candidates. Creating a node locks nothing shared, so
// concurrent writers never wait on each other here.
// params: $candidates: list of candidate ids, $vacancies: list of vacancy ids
// returns: nothing
CREATE (:DataChange {id: randomUUID(), at: datetime(), candidates: $candidates, vacancies: $vacancies})
