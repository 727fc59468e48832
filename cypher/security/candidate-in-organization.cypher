// Whether a candidate applied to at least one vacancy of an organization (a recruiter's scope).
// params: $candidateId: string, $organizationId: string
// returns: inScope (boolean)
RETURN EXISTS {
  MATCH (:Candidate {id: $candidateId})-[:APPLIED_TO]->(:Vacancy)-[:OFFERED_BY]->(:Organization {id: $organizationId})
} AS inScope
