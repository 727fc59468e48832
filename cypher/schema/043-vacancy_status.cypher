// Range index on Vacancy.status (filters).
// params: none
// returns: nothing
CREATE INDEX vacancy_status IF NOT EXISTS FOR (n:Vacancy) ON (n.status)
