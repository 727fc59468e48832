// Benchmark only (the vector-index segment benchmark's own scratch store): bare candidates with an
// id and a stored vector, nothing else.
// params: $rows: list of { id: string, vector: list of floats }
// returns: written (count)
UNWIND $rows AS row
CREATE (c:Candidate {id: row.id})
WITH c, row
CALL db.create.setNodeVectorProperty(c, 'embedding', row.vector)
RETURN count(c) AS written
