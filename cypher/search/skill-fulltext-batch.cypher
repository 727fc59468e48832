// Lexical candidates for several text clauses at once: skills whose labels match each clause.
// params: $clauses: list of { i: int, query: string (escaped Lucene query) }, $limit: int
// returns: i, uri, score
UNWIND $clauses AS clause
CALL db.index.fulltext.queryNodes('skill_labels_en', clause.query, {limit: $limit}) YIELD node, score
RETURN clause.i AS i, node.uri AS uri, score
