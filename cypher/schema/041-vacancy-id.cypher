// Uniqueness of Vacancy.id.
// params: none
// returns: nothing
CREATE CONSTRAINT vacancy_id_unique IF NOT EXISTS FOR (n:Vacancy) REQUIRE n.id IS UNIQUE
