// Lexical candidates for a job title: occupations whose labels match (fulltext, one language).
// params: $index: string (occupation_labels_en|fr), $query: string (escaped Lucene query), $limit: int
// returns: uri, score
CALL db.index.fulltext.queryNodes($index, $query, {limit: $limit}) YIELD node, score
RETURN node.uri AS uri, score
