// Records that people data changed (run once in every transaction that writes candidates,
// vacancies or applications, or erases a candidate). The count of DataChange nodes, read from the
// count store (ranking/data-version), is the data version every process sees: a write by another
// process (an import, another replica) invalidates cached rankings at once. Creating a node locks
// nothing shared, so concurrent writers never wait on each other here.
// params: none
// returns: nothing
CREATE (:DataChange {at: datetime()})
