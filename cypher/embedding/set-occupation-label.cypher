// Stores embeddings on OccupationLabel nodes (as a compact float vector property).
// params: $rows: list of { key: string, vector: list of floats }
// returns: written (count)
UNWIND $rows AS row
MATCH (n:OccupationLabel {key: row.key})
CALL db.create.setNodeVectorProperty(n, 'embedding', row.vector)
RETURN count(n) AS written
