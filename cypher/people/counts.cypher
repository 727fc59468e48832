// Counts of people data (count store), for start-up checks and import summaries.
// params: none
// returns: candidates, vacancies, organizations, applications
CALL () { MATCH (n:Candidate) RETURN count(n) AS candidates }
CALL () { MATCH (n:Vacancy) RETURN count(n) AS vacancies }
CALL () { MATCH (n:Organization) RETURN count(n) AS organizations }
CALL () { MATCH ()-[r:APPLIED_TO]->() RETURN count(r) AS applications }
RETURN candidates, vacancies, organizations, applications
