/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** A sensitive attribute used for aggregate fairness figures only. */
export type AuditAttribute =
  /** Age band. */
  | 'AGE_BAND'
  /** Gender. */
  | 'GENDER';

/** A fairness constraint and which attribute to audit. */
export type FairnessOptions = {
  /** Attribute to audit (default GENDER). */
  attribute?: AuditAttribute | null | undefined;
  /** Apply minGroupShare to this group value only (e.g. female). ADMIN only (FORBIDDEN otherwise). */
  group?: string | null | undefined;
  /** Re-rank the top k so that each audited group (or `group`) holds at least this share of it, with the least loss of score. ADMIN only (FORBIDDEN otherwise): a group-targeted re-ranking reveals people's attributes. */
  minGroupShare?: number | null | undefined;
};

/** How a held skill relates to a required one it partially satisfies. */
export type PartialMatchKind =
  /** The held skill is broader than the required one. */
  | 'BROADER'
  /** The held skill is narrower (more specific) than the required one. */
  | 'NARROWER'
  /** ESCO relates the two skills. */
  | 'RELATED'
  /** The two skills are close in embedding space. */
  | 'SIMILAR';

/** A ranking feature. */
export type RankingFeature =
  /** Cross-encoder relevance (probability) for the reranked head. */
  | 'CROSS_ENCODER'
  /** Cosine between the query embedding and the item's stored embedding. */
  | 'EMBEDDING_COSINE'
  /** Specificity-weighted coverage of the essential skills, with partial credit. */
  | 'ESSENTIAL_COVERAGE'
  /** Cosine between the candidate and an ideal profile built from the ESCO occupation (labels and essential skills). */
  | 'IDEAL_PROFILE_COSINE'
  /** Closeness of occupations: same occupation 1, same ISCO unit group 0.75, minor 0.5, sub-major 0.25, major 0.1. */
  | 'OCCUPATION_MATCH'
  /** Specificity-weighted coverage of the optional skills, with partial credit. */
  | 'OPTIONAL_COVERAGE'
  /** Smoothed share of the candidate's past applications that reached interview or hire, counting only applications the caller may see (a recruiter: to its organization's vacancies; hidden from partners); weight 0 by default. */
  | 'OUTCOME_HISTORY'
  /** 1 when the regions match, else 0. */
  | 'REGION_MATCH';

/** How to rank. */
export type RankingOptions = {
  /** Leave out candidates who already applied (rankCandidates) or vacancies already applied to (rankVacancies). FORBIDDEN for callers who may not see applications (PARTNER). */
  excludeApplied?: boolean | null | undefined;
  /** Fairness audit and constraint (rankCandidates). */
  fairness?: FairnessOptions | null | undefined;
  /** Only items in this region. */
  region?: string | null | undefined;
  /** Items rescored by the cross-encoder, 0..200 (default 30). */
  rerankM?: number | null | undefined;
  /** Items retrieved by each first-stage source (vector index, graph recall), 1..5000 (default 500). */
  retrieveN?: number | null | undefined;
  /** Rescore the head with the cross-encoder (the trained one of npm run train:models where present, else the generic ms-marco model; RankingMeta.rerankerModel names it). Default: the server setting RANKING_USE_RERANKER, off, because on the in-house evaluation neither earns its time: nDCG@10 0.943 without, 0.940 with the generic model (7 times the time), 0.947 with the trained one (paired 95 % interval [0.000, 0.008], 4.7 times the time, equal-opportunity difference 0.004 to 0.020; docs/evaluation.md). */
  useReranker?: boolean | null | undefined;
  /** rankVacancies: only vacancies with this status (default OPEN). */
  vacancyStatus?: VacancyStatus | null | undefined;
  /** Weight overrides. */
  weights?: RankingWeights | null | undefined;
};

/** Weight overrides (each ≥ 0; with the defaults they must sum to at most 1e6, else BAD_USER_INPUT); omitted ones keep their defaults. */
export type RankingWeights = {
  /** Weight of CROSS_ENCODER (default 0.1). */
  crossEncoder?: number | null | undefined;
  /** Weight of EMBEDDING_COSINE (default 0.15). */
  embeddingCosine?: number | null | undefined;
  /** Weight of ESSENTIAL_COVERAGE (default 0.35). */
  essentialCoverage?: number | null | undefined;
  /** Weight of IDEAL_PROFILE_COSINE (default 0.12). */
  idealProfileCosine?: number | null | undefined;
  /** Weight of OCCUPATION_MATCH (default 0.15). */
  occupationMatch?: number | null | undefined;
  /** Weight of OPTIONAL_COVERAGE (default 0.08). */
  optionalCoverage?: number | null | undefined;
  /** Weight of OUTCOME_HISTORY (default 0). */
  outcomeHistory?: number | null | undefined;
  /** Weight of REGION_MATCH (default 0.05). */
  regionMatch?: number | null | undefined;
};

/** Filter for skill demand. */
export type SkillDemandFilter = {
  /** Only vacancies for occupations in this ISCO group (code prefix, 1 to 4 digits), and candidates who work or worked as one. Unknown → `NOT_FOUND`. */
  iscoGroup?: string | null | undefined;
  /** Only vacancies for this ESCO occupation (URI), and candidates who work or worked as it. Unknown → `NOT_FOUND`. */
  occupationUri?: string | number | null | undefined;
  /** Only vacancies and candidates in this region (case-insensitive; see `regions`). Unknown → `NOT_FOUND`. */
  region?: string | null | undefined;
  /** Only vacancies posted since then. */
  since?: string | null | undefined;
};

/** Order of `skillDemand`. */
export type SkillDemandSort =
  /** Lowest supplyRatio first (suppressed supplies, fewer holders than the threshold, before all), ties by weightedDemand. */
  | 'SHORTAGE'
  /** Highest supplyRatio first (suppressed supplies last), ties by weightedDemand. */
  | 'SURPLUS'
  /** Highest weightedDemand first. */
  | 'VOLUME';

/** Whether an occupation needs a skill to be practised (essential) or it is useful but not required (optional). */
export type SkillRelation =
  /** The skill is essential for the occupation. */
  | 'ESSENTIAL'
  /** The skill is optional for the occupation. */
  | 'OPTIONAL';

/** Filters for `vacancies`. */
export type VacancyFilter = {
  /** Only vacancies for this ESCO occupation (URI). */
  occupation?: string | number | null | undefined;
  /** Only vacancies of this organization (id). */
  organization?: string | number | null | undefined;
  /** Only vacancies in this region (exact). */
  region?: string | null | undefined;
  /** Only open or only closed vacancies. */
  status?: VacancyStatus | null | undefined;
  /** Only vacancies whose title contains this text, case-insensitively (1-100 characters once trimmed). */
  titleContains?: string | null | undefined;
};

/** Whether a vacancy takes applications. */
export type VacancyStatus =
  /** Closed. */
  | 'CLOSED'
  /** Open for applications. */
  | 'OPEN';

/** A caller's role (`Viewer.role`). */
export type ViewerRole =
  /** Everything, including mutations. */
  | 'ADMIN'
  /** The taxonomy, aggregates and gaps, with candidates pseudonymised. */
  | 'ANALYST'
  /** No credential: the taxonomy only (nothing with `ANONYMOUS_ACCESS=none`). */
  | 'ANONYMOUS'
  /** Their organization's vacancies and rankings, with candidates pseudonymised. */
  | 'PARTNER'
  /** Ranks and reads candidates for their organization's vacancies. */
  | 'RECRUITER';

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { role: ViewerRole, organizationId: string | null, pseudonymised: boolean, operations: Array<string>, deniedFields: Array<string>, organization: { id: string, name: string } | null }, escoDataset: { version: string } | null };

export type VacanciesQueryVariables = Exact<{
  filter?: VacancyFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type VacanciesQuery = { vacancies: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, title: string, region: string | null, status: VacancyStatus, postedAt: string | null, organization: { id: string, name: string } | null, occupation: { uri: string, preferredLabel: string } | null }> } | null };

export type RankedCandidateFieldsFragment = { rank: number, score: number, explanation: string, candidate: { id: string, region: string | null, yearsExperience: number | null }, breakdown: Array<{ feature: RankingFeature, value: number | null, weight: number, contribution: number }>, matchedSkills: Array<{ uri: string, preferredLabel: string }>, missingEssentialSkills: Array<{ uri: string, preferredLabel: string }>, partialMatches: Array<{ kind: PartialMatchKind, credit: number, required: { uri: string, preferredLabel: string }, held: { uri: string, preferredLabel: string } }> };

export type RankingFieldsFragment = { totalCount: number, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, endCursor: string | null }, vacancy: { id: string, title: string, region: string | null, organization: { name: string } | null }, meta: { rankingId: string, cached: boolean, pool: number, afterFilters: number, reranked: number, stagesSkipped: Array<string>, timingsMs: { retrieve: number, features: number, rerank: number, fairness: number, total: number }, rerankerModel: { name: string } | null }, fairness: { attribute: AuditAttribute, k: number, poolSize: number, suppressedGroups: number, demographicParityDifference: number | null, disparateImpactRatio: number | null, fourFifthsRulePassed: boolean | null, notes: Array<string>, groups: Array<{ group: string, poolCount: number, topKCount: number, poolShare: number, topKShare: number, expectedTopKCount: number }> } | null, fairnessConstraint: { applied: boolean, feasible: boolean, swaps: number, scoreLoss: number, note: string } | null };

export type RankingWithNamesQueryVariables = Exact<{
  vacancyId: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
  options?: RankingOptions | null | undefined;
}>;


export type RankingWithNamesQuery = { rankCandidates: { totalCount: number, nodes: Array<{ rank: number, score: number, explanation: string, candidate: { displayName: string, id: string, region: string | null, yearsExperience: number | null }, breakdown: Array<{ feature: RankingFeature, value: number | null, weight: number, contribution: number }>, matchedSkills: Array<{ uri: string, preferredLabel: string }>, missingEssentialSkills: Array<{ uri: string, preferredLabel: string }>, partialMatches: Array<{ kind: PartialMatchKind, credit: number, required: { uri: string, preferredLabel: string }, held: { uri: string, preferredLabel: string } }> }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, endCursor: string | null }, vacancy: { id: string, title: string, region: string | null, organization: { name: string } | null }, meta: { rankingId: string, cached: boolean, pool: number, afterFilters: number, reranked: number, stagesSkipped: Array<string>, timingsMs: { retrieve: number, features: number, rerank: number, fairness: number, total: number }, rerankerModel: { name: string } | null }, fairness: { attribute: AuditAttribute, k: number, poolSize: number, suppressedGroups: number, demographicParityDifference: number | null, disparateImpactRatio: number | null, fourFifthsRulePassed: boolean | null, notes: Array<string>, groups: Array<{ group: string, poolCount: number, topKCount: number, poolShare: number, topKShare: number, expectedTopKCount: number }> } | null, fairnessConstraint: { applied: boolean, feasible: boolean, swaps: number, scoreLoss: number, note: string } | null } | null };

export type RankingPseudonymisedQueryVariables = Exact<{
  vacancyId: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
  options?: RankingOptions | null | undefined;
}>;


export type RankingPseudonymisedQuery = { rankCandidates: { totalCount: number, nodes: Array<{ rank: number, score: number, explanation: string, candidate: { id: string, region: string | null, yearsExperience: number | null }, breakdown: Array<{ feature: RankingFeature, value: number | null, weight: number, contribution: number }>, matchedSkills: Array<{ uri: string, preferredLabel: string }>, missingEssentialSkills: Array<{ uri: string, preferredLabel: string }>, partialMatches: Array<{ kind: PartialMatchKind, credit: number, required: { uri: string, preferredLabel: string }, held: { uri: string, preferredLabel: string } }> }>, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, endCursor: string | null }, vacancy: { id: string, title: string, region: string | null, organization: { name: string } | null }, meta: { rankingId: string, cached: boolean, pool: number, afterFilters: number, reranked: number, stagesSkipped: Array<string>, timingsMs: { retrieve: number, features: number, rerank: number, fairness: number, total: number }, rerankerModel: { name: string } | null }, fairness: { attribute: AuditAttribute, k: number, poolSize: number, suppressedGroups: number, demographicParityDifference: number | null, disparateImpactRatio: number | null, fourFifthsRulePassed: boolean | null, notes: Array<string>, groups: Array<{ group: string, poolCount: number, topKCount: number, poolShare: number, topKShare: number, expectedTopKCount: number }> } | null, fairnessConstraint: { applied: boolean, feasible: boolean, swaps: number, scoreLoss: number, note: string } | null } | null };

export type CandidateGapQueryVariables = Exact<{
  candidateId: string | number;
  vacancyId: string | number;
}>;


export type CandidateGapQuery = { skillGap: { candidate: { id: string, displayName: string, region: string | null, yearsExperience: number | null }, coverage: { essential: number, optional: number, weightedEssential: number }, matchedSkills: Array<{ uri: string, preferredLabel: string }>, missingEssentialSkills: Array<{ skill: { uri: string, preferredLabel: string } }>, missingOptionalSkills: Array<{ skill: { uri: string, preferredLabel: string } }>, partialMatches: Array<{ kind: PartialMatchKind, required: { uri: string, preferredLabel: string }, held: { uri: string, preferredLabel: string } }> } | null, careerPaths: { paths: Array<{ weightedCoverage: number, essentialCoverage: number, missingEssentialCount: number, occupation: { uri: string, preferredLabel: string } }> } | null };

export type RegionsQueryVariables = Exact<{ [key: string]: never; }>;


export type RegionsQuery = { regions: Array<{ name: string, openVacancies: number | null, candidates: number | null }> | null };

export type SkillDemandQueryVariables = Exact<{
  filter?: SkillDemandFilter | null | undefined;
  sort?: SkillDemandSort | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type SkillDemandQuery = { skillDemand: { vacancies: number | null, candidates: number | null, threshold: number, suppressedCount: number, note: string | null, totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ demand: number, essentialDemand: number, weightedDemand: number, supply: number | null, supplyRatio: number | null, candidatesPerOpening: number | null, suppressed: boolean, skill: { uri: string, preferredLabel: string } }> } | null };

export type OccupationSearchQueryVariables = Exact<{
  search: string;
}>;


export type OccupationSearchQuery = { occupations: { nodes: Array<{ uri: string, code: string, preferredLabel: string }> } };

export type OccupationProfileQueryVariables = Exact<{
  uri: string | number;
}>;


export type OccupationProfileQuery = { occupationSkillProfile: { vacancies: number | null, suppressed: boolean, threshold: number, note: string | null, occupation: { uri: string, preferredLabel: string }, askedBeyondProfile: Array<{ askedBy: number, share: number, escoRelation: SkillRelation | null, skill: { uri: string, preferredLabel: string } }>, rarelyAsked: Array<{ askedBy: number, share: number, escoRelation: SkillRelation | null, skill: { uri: string, preferredLabel: string } }> } | null };

export type NormalizeTitleQueryVariables = Exact<{
  title: string;
}>;


export type NormalizeTitleQuery = { normalizeJobTitle: { noMatch: boolean, confidenceThreshold: number, detectedLanguage: string | null, languageSupported: boolean, warnings: Array<string>, matches: Array<{ score: number, confidence: number | null, matchedLabel: string | null, occupation: { uri: string, code: string, preferredLabel: string } }> } };

export type ExtractSkillsQueryVariables = Exact<{
  text: string;
}>;


export type ExtractSkillsQuery = { extractSkills: { noMatch: boolean, confidenceThreshold: number, detectedLanguage: string | null, languageSupported: boolean, warnings: Array<string>, skills: Array<{ score: number, confidence: number, matchedLabel: string | null, evidence: { text: string, start: number, end: number } | null, skill: { uri: string, preferredLabel: string } }> } };

export type ThreeWayGapQueryVariables = Exact<{
  candidateId: string | number;
  vacancyId: string | number;
}>;


export type ThreeWayGapQuery = { threeWayGap: { candidate: { id: string }, vacancy: { id: string, title: string }, occupation: { uri: string, preferredLabel: string } | null, vacancySkillsBeyondEsco: Array<{ relation: SkillRelation, skill: { uri: string, preferredLabel: string } }>, escoEssentialsOmitted: Array<{ uri: string, preferredLabel: string }>, againstVacancy: { coverage: { essential: number, optional: number, essentialCount: number, optionalCount: number } }, againstOccupation: { coverage: { essential: number, optional: number, essentialCount: number, optionalCount: number } } | null } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const RankedCandidateFieldsFragmentDoc = new TypedDocumentString(`
    fragment RankedCandidateFields on RankedCandidate {
  rank
  score
  explanation
  candidate {
    id
    region
    yearsExperience
  }
  breakdown {
    feature
    value
    weight
    contribution
  }
  matchedSkills {
    uri
    preferredLabel
  }
  missingEssentialSkills {
    uri
    preferredLabel
  }
  partialMatches {
    kind
    credit
    required {
      uri
      preferredLabel
    }
    held {
      uri
      preferredLabel
    }
  }
}
    `, {"fragmentName":"RankedCandidateFields"}) as unknown as TypedDocumentString<RankedCandidateFieldsFragment, unknown>;
export const RankingFieldsFragmentDoc = new TypedDocumentString(`
    fragment RankingFields on CandidateRanking {
  totalCount
  pageInfo {
    hasNextPage
    hasPreviousPage
    endCursor
  }
  vacancy {
    id
    title
    region
    organization {
      name
    }
  }
  meta {
    rankingId
    cached
    pool
    afterFilters
    reranked
    stagesSkipped
    timingsMs {
      retrieve
      features
      rerank
      fairness
      total
    }
    rerankerModel {
      name
    }
  }
  fairness {
    attribute
    k
    poolSize
    suppressedGroups
    demographicParityDifference
    disparateImpactRatio
    fourFifthsRulePassed
    notes
    groups {
      group
      poolCount
      topKCount
      poolShare
      topKShare
      expectedTopKCount
    }
  }
  fairnessConstraint {
    applied
    feasible
    swaps
    scoreLoss
    note
  }
}
    `, {"fragmentName":"RankingFields"}) as unknown as TypedDocumentString<RankingFieldsFragment, unknown>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    role
    organizationId
    organization {
      id
      name
    }
    pseudonymised
    operations
    deniedFields
  }
  escoDataset {
    version
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;
export const VacanciesDocument = new TypedDocumentString(`
    query Vacancies($filter: VacancyFilter, $first: Int, $after: String) {
  vacancies(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      title
      region
      status
      postedAt
      organization {
        id
        name
      }
      occupation {
        uri
        preferredLabel
      }
    }
  }
}
    `) as unknown as TypedDocumentString<VacanciesQuery, VacanciesQueryVariables>;
export const RankingWithNamesDocument = new TypedDocumentString(`
    query RankingWithNames($vacancyId: ID!, $first: Int, $after: String, $options: RankingOptions) {
  rankCandidates(
    vacancyId: $vacancyId
    first: $first
    after: $after
    options: $options
  ) {
    ...RankingFields
    nodes {
      ...RankedCandidateFields
      candidate {
        displayName
      }
    }
  }
}
    fragment RankedCandidateFields on RankedCandidate {
  rank
  score
  explanation
  candidate {
    id
    region
    yearsExperience
  }
  breakdown {
    feature
    value
    weight
    contribution
  }
  matchedSkills {
    uri
    preferredLabel
  }
  missingEssentialSkills {
    uri
    preferredLabel
  }
  partialMatches {
    kind
    credit
    required {
      uri
      preferredLabel
    }
    held {
      uri
      preferredLabel
    }
  }
}
fragment RankingFields on CandidateRanking {
  totalCount
  pageInfo {
    hasNextPage
    hasPreviousPage
    endCursor
  }
  vacancy {
    id
    title
    region
    organization {
      name
    }
  }
  meta {
    rankingId
    cached
    pool
    afterFilters
    reranked
    stagesSkipped
    timingsMs {
      retrieve
      features
      rerank
      fairness
      total
    }
    rerankerModel {
      name
    }
  }
  fairness {
    attribute
    k
    poolSize
    suppressedGroups
    demographicParityDifference
    disparateImpactRatio
    fourFifthsRulePassed
    notes
    groups {
      group
      poolCount
      topKCount
      poolShare
      topKShare
      expectedTopKCount
    }
  }
  fairnessConstraint {
    applied
    feasible
    swaps
    scoreLoss
    note
  }
}`) as unknown as TypedDocumentString<RankingWithNamesQuery, RankingWithNamesQueryVariables>;
export const RankingPseudonymisedDocument = new TypedDocumentString(`
    query RankingPseudonymised($vacancyId: ID!, $first: Int, $after: String, $options: RankingOptions) {
  rankCandidates(
    vacancyId: $vacancyId
    first: $first
    after: $after
    options: $options
  ) {
    ...RankingFields
    nodes {
      ...RankedCandidateFields
    }
  }
}
    fragment RankedCandidateFields on RankedCandidate {
  rank
  score
  explanation
  candidate {
    id
    region
    yearsExperience
  }
  breakdown {
    feature
    value
    weight
    contribution
  }
  matchedSkills {
    uri
    preferredLabel
  }
  missingEssentialSkills {
    uri
    preferredLabel
  }
  partialMatches {
    kind
    credit
    required {
      uri
      preferredLabel
    }
    held {
      uri
      preferredLabel
    }
  }
}
fragment RankingFields on CandidateRanking {
  totalCount
  pageInfo {
    hasNextPage
    hasPreviousPage
    endCursor
  }
  vacancy {
    id
    title
    region
    organization {
      name
    }
  }
  meta {
    rankingId
    cached
    pool
    afterFilters
    reranked
    stagesSkipped
    timingsMs {
      retrieve
      features
      rerank
      fairness
      total
    }
    rerankerModel {
      name
    }
  }
  fairness {
    attribute
    k
    poolSize
    suppressedGroups
    demographicParityDifference
    disparateImpactRatio
    fourFifthsRulePassed
    notes
    groups {
      group
      poolCount
      topKCount
      poolShare
      topKShare
      expectedTopKCount
    }
  }
  fairnessConstraint {
    applied
    feasible
    swaps
    scoreLoss
    note
  }
}`) as unknown as TypedDocumentString<RankingPseudonymisedQuery, RankingPseudonymisedQueryVariables>;
export const CandidateGapDocument = new TypedDocumentString(`
    query CandidateGap($candidateId: ID!, $vacancyId: ID!) {
  skillGap(candidateId: $candidateId, target: {vacancyId: $vacancyId}) {
    candidate {
      id
      displayName
      region
      yearsExperience
    }
    coverage {
      essential
      optional
      weightedEssential
    }
    matchedSkills {
      uri
      preferredLabel
    }
    missingEssentialSkills {
      skill {
        uri
        preferredLabel
      }
    }
    missingOptionalSkills {
      skill {
        uri
        preferredLabel
      }
    }
    partialMatches {
      kind
      required {
        uri
        preferredLabel
      }
      held {
        uri
        preferredLabel
      }
    }
  }
  careerPaths(candidateId: $candidateId, k: 5) {
    paths {
      weightedCoverage
      essentialCoverage
      missingEssentialCount
      occupation {
        uri
        preferredLabel
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CandidateGapQuery, CandidateGapQueryVariables>;
export const RegionsDocument = new TypedDocumentString(`
    query Regions {
  regions {
    name
    openVacancies
    candidates
  }
}
    `) as unknown as TypedDocumentString<RegionsQuery, RegionsQueryVariables>;
export const SkillDemandDocument = new TypedDocumentString(`
    query SkillDemand($filter: SkillDemandFilter, $sort: SkillDemandSort, $first: Int, $after: String) {
  skillDemand(filter: $filter, sort: $sort, first: $first, after: $after) {
    vacancies
    candidates
    threshold
    suppressedCount
    note
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      demand
      essentialDemand
      weightedDemand
      supply
      supplyRatio
      candidatesPerOpening
      suppressed
      skill {
        uri
        preferredLabel
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SkillDemandQuery, SkillDemandQueryVariables>;
export const OccupationSearchDocument = new TypedDocumentString(`
    query OccupationSearch($search: String!) {
  occupations(search: $search, first: 8) {
    nodes {
      uri
      code
      preferredLabel
    }
  }
}
    `) as unknown as TypedDocumentString<OccupationSearchQuery, OccupationSearchQueryVariables>;
export const OccupationProfileDocument = new TypedDocumentString(`
    query OccupationProfile($uri: ID!) {
  occupationSkillProfile(uri: $uri) {
    vacancies
    suppressed
    threshold
    note
    occupation {
      uri
      preferredLabel
    }
    askedBeyondProfile {
      askedBy
      share
      escoRelation
      skill {
        uri
        preferredLabel
      }
    }
    rarelyAsked {
      askedBy
      share
      escoRelation
      skill {
        uri
        preferredLabel
      }
    }
  }
}
    `) as unknown as TypedDocumentString<OccupationProfileQuery, OccupationProfileQueryVariables>;
export const NormalizeTitleDocument = new TypedDocumentString(`
    query NormalizeTitle($title: String!) {
  normalizeJobTitle(title: $title, k: 5) {
    noMatch
    confidenceThreshold
    detectedLanguage
    languageSupported
    warnings
    matches {
      score
      confidence
      matchedLabel
      occupation {
        uri
        code
        preferredLabel
      }
    }
  }
}
    `) as unknown as TypedDocumentString<NormalizeTitleQuery, NormalizeTitleQueryVariables>;
export const ExtractSkillsDocument = new TypedDocumentString(`
    query ExtractSkills($text: String!) {
  extractSkills(text: $text, k: 10) {
    noMatch
    confidenceThreshold
    detectedLanguage
    languageSupported
    warnings
    skills {
      score
      confidence
      matchedLabel
      evidence {
        text
        start
        end
      }
      skill {
        uri
        preferredLabel
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ExtractSkillsQuery, ExtractSkillsQueryVariables>;
export const ThreeWayGapDocument = new TypedDocumentString(`
    query ThreeWayGap($candidateId: ID!, $vacancyId: ID!) {
  threeWayGap(candidateId: $candidateId, vacancyId: $vacancyId) {
    candidate {
      id
    }
    vacancy {
      id
      title
    }
    occupation {
      uri
      preferredLabel
    }
    vacancySkillsBeyondEsco {
      relation
      skill {
        uri
        preferredLabel
      }
    }
    escoEssentialsOmitted {
      uri
      preferredLabel
    }
    againstVacancy {
      coverage {
        essential
        optional
        essentialCount
        optionalCount
      }
    }
    againstOccupation {
      coverage {
        essential
        optional
        essentialCount
        optionalCount
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ThreeWayGapQuery, ThreeWayGapQueryVariables>;