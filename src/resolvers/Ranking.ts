import { encodeCursor } from '../graph/paging.js';
import type { FeatureName } from '../ranking/features.js';
import type { RankingOptions as ServiceOptions, RankingResult } from '../services/rankingService.js';
import type {
  AuditAttribute,
  CandidateRankingResolvers,
  FairnessReportResolvers,
  FeatureContributionResolvers,
  RankedCandidateResolvers,
  RankedVacancyResolvers,
  RankingFeature,
  RankingMetaResolvers,
  RankingOptions,
  VacancyRankingResolvers,
} from './__generated__/types.js';

const FEATURE_ENUM: Record<FeatureName, RankingFeature> = {
  essentialCoverage: 'ESSENTIAL_COVERAGE',
  optionalCoverage: 'OPTIONAL_COVERAGE',
  occupationMatch: 'OCCUPATION_MATCH',
  embeddingCosine: 'EMBEDDING_COSINE',
  idealProfileCosine: 'IDEAL_PROFILE_COSINE',
  regionMatch: 'REGION_MATCH',
  outcomeHistory: 'OUTCOME_HISTORY',
  crossEncoder: 'CROSS_ENCODER',
};

export function toServiceOptions(options: RankingOptions | null | undefined): ServiceOptions {
  if (!options) return {};
  const attribute: Record<AuditAttribute, 'gender' | 'ageBand'> = { GENDER: 'gender', AGE_BAND: 'ageBand' };
  return {
    weights: options.weights ?? null,
    retrieveN: options.retrieveN ?? null,
    rerankM: options.rerankM ?? null,
    useReranker: options.useReranker ?? null,
    region: options.region ?? null,
    excludeApplied: options.excludeApplied ?? null,
    ...(options.vacancyStatus ? { vacancyStatus: options.vacancyStatus } : {}),
    fairness: options.fairness
      ? {
          attribute: options.fairness.attribute ? attribute[options.fairness.attribute] : null,
          minGroupShare: options.fairness.minGroupShare ?? null,
          group: options.fairness.group ?? null,
        }
      : null,
  };
}

function pageInfo(r: RankingResult) {
  const last = r.offset + r.items.length - 1;
  return {
    hasNextPage: r.offset + r.items.length < r.totalCount,
    hasPreviousPage: r.offset > 0,
    startCursor: r.items.length > 0 ? encodeCursor(r.offset) : null,
    endCursor: r.items.length > 0 ? encodeCursor(last) : null,
  };
}

export const CandidateRanking: CandidateRankingResolvers = {
  vacancy: (r, _, ctx) => ctx.people.vacancy(r.subjectId),
  items: (r) => [...r.items],
  pageInfo,
  fairness: (r) =>
    r.fairness && r.fairnessAttribute
      ? { ...r.fairness, attribute: r.fairnessAttribute as 'gender' | 'ageBand' }
      : null,
  fairnessConstraint: (r) => r.constraint,
};

export const VacancyRanking: VacancyRankingResolvers = {
  candidate: (r, _, ctx) => ctx.people.candidate(r.subjectId),
  items: (r) => [...r.items],
  pageInfo,
};

const itemFields = {
  breakdown: (i: RankingResult['items'][number]) => [...i.breakdown],
  partialMatches: (i: RankingResult['items'][number]) => [...i.match.partial],
};

export const RankedCandidate: RankedCandidateResolvers = {
  ...itemFields,
  candidate: (i, _, ctx) => ctx.people.candidate(i.id),
  matchedSkills: (i, _, ctx) => Promise.all(i.match.matched.map((r) => ctx.taxonomy.skillByUriKnown(r.uri))),
  missingEssentialSkills: (i, _, ctx) =>
    Promise.all(i.match.missingEssential.map((m) => ctx.taxonomy.skillByUriKnown(m.requirement.uri))),
};

export const RankedVacancy: RankedVacancyResolvers = {
  ...itemFields,
  vacancy: (i, _, ctx) => ctx.people.vacancy(i.id),
  matchedSkills: (i, _, ctx) => Promise.all(i.match.matched.map((r) => ctx.taxonomy.skillByUriKnown(r.uri))),
  missingEssentialSkills: (i, _, ctx) =>
    Promise.all(i.match.missingEssential.map((m) => ctx.taxonomy.skillByUriKnown(m.requirement.uri))),
};

export const FeatureContribution: FeatureContributionResolvers = {
  feature: (f) => FEATURE_ENUM[f.name],
};

export const RankingMeta: RankingMetaResolvers = {
  retrievedByVector: (m) => m.retrieved.vector,
  retrievedByGraph: (m) => m.retrieved.graph,
  pool: (m) => m.retrieved.pool,
  afterFilters: (m) => m.retrieved.afterFilters,
  stagesSkipped: (m) => [...m.stagesSkipped],
};

export const FairnessReport: FairnessReportResolvers = {
  attribute: (f) => (f.attribute === 'ageBand' ? 'AGE_BAND' : 'GENDER'),
  groups: (f) => [...f.groups],
  notes: (f) => [...f.notes],
};
