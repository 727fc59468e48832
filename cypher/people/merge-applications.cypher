// Bulk import of application history: creates or updates each candidate→vacancy application (idempotent).
// params: $rows: list of { candidateId, vacancyId, status, at: ISO string or null, updatedAt: ISO string or null }
// returns: candidateId, vacancyId, candidateFound, vacancyFound (one row per input row)
UNWIND $rows AS row
OPTIONAL MATCH (c:Candidate {id: row.candidateId})
OPTIONAL MATCH (v:Vacancy {id: row.vacancyId})
CALL (c, v, row) {
  WITH c, v, row WHERE c IS NOT NULL AND v IS NOT NULL
  MERGE (c)-[a:APPLIED_TO]->(v)
  ON CREATE SET a.at = coalesce(datetime(row.at), datetime())
  SET a.status = row.status, a.updatedAt = coalesce(datetime(row.updatedAt), datetime(row.at), datetime())
}
RETURN row.candidateId AS candidateId, row.vacancyId AS vacancyId, c IS NOT NULL AS candidateFound, v IS NOT NULL AS vacancyFound
