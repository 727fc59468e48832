// Dense candidates for a job title: the nearest occupation labels (any language) and their occupation.
// params: $n: int, $vector: list of floats
// returns: uri, label, lang, score
CALL db.index.vector.queryNodes('occupation_label_embedding', $n, $vector) YIELD node, score
MATCH (node)-[:LABEL_OF]->(o:Occupation)
RETURN o.uri AS uri, node.text AS label, node.lang AS lang, score
