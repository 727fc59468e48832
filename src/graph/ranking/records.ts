/**
 * Typed records of the ranking reads (`cypher/ranking/*`), as `RankingRepository` returns them:
 * plain strings, numbers, lists and `Float32Array` vectors. Nothing here is sensitive except
 * `PoolGroupRecord`, which feeds aggregate fairness figures only.
 */

/** An ESCO occupation as ranking compares it (same occupation, same ISCO group). */
export interface OccupationRefRecord {
  readonly uri: string;
  /** ISCO unit group code (4 digits). */
  readonly iscoGroup: string | null;
  readonly label: string;
}

/** The vacancy's occupation with what the ideal ("hypothetical candidate") profile is built from. */
export interface IdealOccupationRecord extends OccupationRefRecord {
  readonly altLabels: readonly string[];
  /** Labels of the occupation's essential skills, most specific first. */
  readonly essentialSkills: readonly string[];
}

/** `ranking/vacancy-context`: a vacancy as the subject of `rankCandidates`. */
export interface VacancyContextRecord {
  readonly id: string;
  readonly title: string | null;
  readonly description: string | null;
  readonly region: string | null;
  /** The stored embedding (null while it is missing). */
  readonly embedding: Float32Array | null;
  /** Labels of the vacancy's required skills, by label. */
  readonly skillLabels: readonly string[];
  readonly occupation: IdealOccupationRecord | null;
}

/** `ranking/candidate-context`: a candidate as the subject of `rankVacancies`. */
export interface CandidateContextRecord {
  readonly id: string;
  readonly summary: string | null;
  readonly region: string | null;
  readonly embedding: Float32Array | null;
  /** Occupations the candidate worked as, by label (a missing label reads as the uri). */
  readonly occupations: readonly OccupationRefRecord[];
  readonly skillLabels: readonly string[];
}

/** One application of a candidate (any vacancy). */
export interface ApplicationRef {
  readonly vacancyId: string | null;
  readonly status: string | null;
  /** The vacancy's organization (null: none recorded): which callers may count the application. */
  readonly organizationId: string | null;
}

/** `ranking/candidate-features`: stage-2 inputs of one pooled candidate. */
export interface CandidateFeatureRecord {
  readonly id: string;
  readonly region: string | null;
  /**
   * Occupations the candidate worked as, ordered by label here, so ties between equally good
   * occupation matches break the same way on every store (a missing label reads as the uri).
   */
  readonly occupations: readonly OccupationRefRecord[];
  /** Cosine of the stored embedding with the query vector (null without either). */
  readonly cosine: number | null;
  /** Cosine of the stored embedding with the ideal-profile vector (null without either). */
  readonly idealCosine: number | null;
  /** Every application of the candidate, to any vacancy. */
  readonly applications: readonly ApplicationRef[];
}

/** `ranking/vacancy-features`: stage-2 inputs of one pooled vacancy against one candidate. */
export interface VacancyFeatureRecord {
  readonly id: string;
  readonly title: string | null;
  readonly description: string | null;
  readonly region: string | null;
  readonly status: string | null;
  /** The vacancy's occupation (a missing label reads as ''). */
  readonly occupation: OccupationRefRecord | null;
  readonly skillLabels: readonly string[];
  /** Cosine of the vacancy's embedding with the query (candidate) vector. */
  readonly cosine: number | null;
  /** Cosine of the candidate's embedding with the vacancy occupation's embedding. */
  readonly idealCosine: number | null;
  /** The candidate's application to this vacancy, if any. */
  readonly applicationStatus: string | null;
}

/** `ranking/candidate-texts`: what the cross-encoder reads about a candidate. */
export interface CandidateTextRecord {
  readonly id: string;
  readonly summary: string | null;
  readonly skillLabels: readonly string[];
  readonly occupationLabels: readonly string[];
}

/** `ranking/pool-groups`: the audit group of one pooled candidate (aggregate fairness only). */
export interface PoolGroupRecord {
  readonly id: string;
  readonly group: string | null;
}
