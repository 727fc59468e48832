// Evaluation store only: deletes every candidate, vacancy, organization and sensitive profile (and
// their relationships), keeping the ESCO graph, so a labelled dataset can be loaded afresh.
// params: none
// returns: nothing
MATCH (n)
WHERE n:Candidate OR n:Vacancy OR n:Organization OR n:SensitiveProfile
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS
