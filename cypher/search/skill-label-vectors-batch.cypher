// Dense candidates for several text clauses at once: the nearest skill labels and their skill.
// params: $clauses: list of { i: int, vector: list of floats }, $n: int
// returns: i, uri, label, score
UNWIND $clauses AS clause
CALL db.index.vector.queryNodes('skill_label_embedding', $n, clause.vector) YIELD node, score
MATCH (node)-[:LABEL_OF]->(s:Skill)
RETURN clause.i AS i, s.uri AS uri, node.text AS label, score
