// Range index on Vacancy.region (filters).
// params: none
// returns: nothing
CREATE INDEX vacancy_region IF NOT EXISTS FOR (n:Vacancy) ON (n.region)
