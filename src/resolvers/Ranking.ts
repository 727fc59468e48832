import { Kind, type GraphQLResolveInfo } from 'graphql';
import { BadUserInputError, NotFoundError } from '../errors.js';
import type { FairnessFigureName as FigureName } from '../ranking/fairness.js';
import type { FeatureName } from '../ranking/features.js';
import type { Principal } from '../security/principal.js';
import type { RankingOptions as ServiceOptions, RankingResult } from '../services/rankingService.js';
import type {
  AuditAttribute,
  CandidateRankingResolvers,
  FairnessFigureName,
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

/** The service's options for a request: the caller (role and organization) and the arguments. */
export function toServiceOptions(
  options: RankingOptions | null | undefined,
  principal: Principal,
): ServiceOptions {
  const viewer = { role: principal.role, organizationId: principal.organizationId };
  if (!options) return { viewer };
  const attribute: Record<AuditAttribute, 'gender' | 'ageBand'> = { GENDER: 'gender', AGE_BAND: 'ageBand' };
  return {
    viewer,
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

/**
 * The page size of a ranking: `first` (default 20), or the deprecated `k` when given; both given
 * with different values is refused (which one was meant cannot be told).
 */
export function rankingPageSize(
  args: { readonly first?: number | null; readonly k?: number | null },
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'variableValues'>,
): number {
  // Given: written in the document, as a literal or as a variable the request supplied.
  const node = info.fieldNodes[0]?.arguments?.find((a) => a.name.value === 'first');
  const firstGiven =
    node !== undefined &&
    (node.value.kind !== Kind.VARIABLE || Object.hasOwn(info.variableValues, node.value.name.value));
  if (args.k !== null && args.k !== undefined) {
    if (firstGiven && args.first !== null && args.first !== undefined && args.first !== args.k) {
      throw new BadUserInputError(
        `first (${args.first}) and k (${args.k}) disagree: give first only (k is its deprecated name)`,
        { argument: 'k' },
      );
    }
    return args.k;
  }
  return args.first ?? 20;
}

function pageInfo(r: RankingResult) {
  const last = r.offset + r.items.length - 1;
  return {
    hasNextPage: r.offset + r.items.length < r.totalCount,
    hasPreviousPage: r.offset > 0,
    startCursor: r.items.length > 0 ? r.cursorAt(r.offset) : null,
    endCursor: r.items.length > 0 ? r.cursorAt(last) : null,
  };
}

/** Relay fields of a ranking page: edges with cursors, nodes, the deprecated items, pageInfo. */
const pageFields = {
  edges: (r: RankingResult) => r.items.map((node, i) => ({ cursor: r.cursorAt(r.offset + i), node })),
  nodes: (r: RankingResult) => [...r.items],
  items: (r: RankingResult) => [...r.items],
  pageInfo,
};

export const CandidateRanking: CandidateRankingResolvers = {
  ...pageFields,
  vacancy: (r, _, ctx) => ctx.people.vacancy(r.subjectId),
  fairness: (r) =>
    r.fairness && r.fairnessAttribute
      ? { ...r.fairness, attribute: r.fairnessAttribute as 'gender' | 'ageBand' }
      : null,
  fairnessConstraint: (r) => r.constraint,
};

export const VacancyRanking: VacancyRankingResolvers = {
  ...pageFields,
  candidate: (r, _, ctx) => ctx.people.candidate(r.subjectId),
};

const itemFields = {
  breakdown: (i: RankingResult['items'][number]) => [...i.breakdown],
  partialMatches: (i: RankingResult['items'][number]) => [...i.match.partial],
};

export const RankedCandidate: RankedCandidateResolvers = {
  ...itemFields,
  // A candidate erased after the ranking was cached: the error names the rank, never the real id
  // (partners know candidates by pseudonym only, and an erased id is personal data), and the
  // cached rankings that list them are dropped.
  candidate: async (i, _, ctx) => {
    try {
      return await ctx.people.candidateAt(i.id, i.dataVersion);
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      ctx.ranking.forget(i.id);
      throw new NotFoundError('Candidate', `the candidate at rank ${i.rank} was erased; ask again`);
    }
  },
  matchedSkills: (i, _, ctx) => ctx.taxonomy.skillsByUriKnown(i.match.matched.map((r) => r.uri)),
  missingEssentialSkills: (i, _, ctx) =>
    ctx.taxonomy.skillsByUriKnown(i.match.missingEssential.map((m) => m.requirement.uri)),
};

export const RankedVacancy: RankedVacancyResolvers = {
  ...itemFields,
  vacancy: (i, _, ctx) => ctx.people.vacancy(i.id),
  matchedSkills: (i, _, ctx) => ctx.taxonomy.skillsByUriKnown(i.match.matched.map((r) => r.uri)),
  missingEssentialSkills: (i, _, ctx) =>
    ctx.taxonomy.skillsByUriKnown(i.match.missingEssential.map((m) => m.requirement.uri)),
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

const FIGURE_ENUM: Record<FigureName, FairnessFigureName> = {
  demographicParity: 'DEMOGRAPHIC_PARITY',
  disparateImpact: 'DISPARATE_IMPACT',
  exposure: 'EXPOSURE',
  equalOpportunity: 'EQUAL_OPPORTUNITY',
  equalizedOdds: 'EQUALIZED_ODDS',
};

export const FairnessReport: FairnessReportResolvers = {
  attribute: (f) => (f.attribute === 'ageBand' ? 'AGE_BAND' : 'GENDER'),
  groups: (f) => [...f.groups],
  figures: (f) =>
    f.figures.map((figure) => ({
      ...figure,
      name: FIGURE_ENUM[figure.name],
      groupsCompared: [...figure.groupsCompared],
      groupsLeftOut: [...figure.groupsLeftOut],
    })),
  notes: (f) => [...f.notes],
};
