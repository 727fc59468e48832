// Stage 1, dense, for rankVacancies: vacancies nearest to a query vector.
// params: $n: int, $vector: list of floats
// returns: id, score
CALL db.index.vector.queryNodes('vacancy_embedding', $n, $vector) YIELD node, score
RETURN node.id AS id, score
