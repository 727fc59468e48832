/**
 * Two-stage, explained, audited ranking (MUSE-style tiers).
 *
 * Stage 1 (retrieve): the Neo4j vector index with the query embedding, united with a graph recall
 * of holders of the essential skills; filters after retrieval, with over-fetching.
 * Stage 2 (features, fusion): skill coverage with specificity and partial credit, occupation
 * closeness through ISCO, embedding cosine, cosine to an ESCO-built ideal profile, region, outcome
 * history (off by default); then a cross-encoder over the top M; weighted fusion.
 * Report: per-stage timings, counts, models and hashes, ESCO version, weights, fairness figures
 * (aggregate only) and an optional minimum-group-share constraint.
 *
 * Deterministic: every sort breaks ties by id, so the same request gives the same list.
 */
import { createHash } from 'node:crypto';
import { BadUserInputError, NotFoundError } from '../errors.js';
import { ID_PATTERN } from '../domain/peopleInput.js';
import { int, type Neo4jGateway, type Row } from '../graph/gateway.js';
import { num, str } from '../graph/rowDecoders.js';
import type { GapRepository, RequirementRow } from '../graph/gap/gapRepository.js';
import { offsetAfter } from '../graph/paging.js';
import type { Embedder } from '../inference/embedder.js';
import type { Reranker } from '../inference/reranker.js';
import { explain } from '../ranking/explanation.js';
import { measureFairness, type FairnessItem, type FairnessReport } from '../ranking/fairness.js';
import { applyMinGroupShare } from '../ranking/fairnessConstraint.js';
import {
  bestOccupationMatch,
  fuse,
  mergeWeights,
  outcomeHistory,
  type FeatureName,
  type FeatureValue,
  type OccupationRef,
  type Weights,
} from '../ranking/features.js';
import { matchSkills, type SkillMatch } from '../ranking/skillMatch.js';
import { candidateText, idealProfileText, vacancyText } from '../ranking/texts.js';
import type { EmbeddingSync } from './embeddingSync.js';
import type { FusionModel } from '../ranking/learnedFusion.js';
import { fusionModelRef, type FusionModelRef } from './fusionModel.js';

export const MAX_K = 100;
export const MAX_RETRIEVE_N = 5000;
export const MAX_RERANK_M = 200;
const OVERFETCH = 2;
/**
 * Cross-encoder inputs are cut to about 56 + 100 tokens: the head of a vacancy (title, start of the
 * description) and of a profile carries most of the signal, and the cost of the 12-layer model
 * grows at least linearly with the length (30 pairs of 64 + 128 tokens took about 0.5 s on two
 * cores; a full 512-token pair costs several times more).
 */
const CE_QUERY_CHARS = 256;
const CE_PASSAGE_CHARS = 448;
const clip = (text: string, max: number) => (text.length <= max ? text : text.slice(0, max));

/** A cached ranking keeps its head only (memory); deeper pages are recomputed. */
const CACHED_ITEMS = 200;

export interface RankingOptions {
  readonly weights?: Partial<Record<FeatureName, number | null>> | null;
  readonly retrieveN?: number | null;
  readonly rerankM?: number | null;
  readonly useReranker?: boolean | null;
  readonly region?: string | null;
  readonly excludeApplied?: boolean | null;
  /** rankVacancies only: which vacancies (default OPEN). */
  readonly vacancyStatus?: 'OPEN' | 'CLOSED' | null;
  readonly fairness?: {
    readonly attribute?: 'gender' | 'ageBand' | null;
    readonly minGroupShare?: number | null;
    readonly group?: string | null;
  } | null;
}

export interface RankedItem {
  readonly id: string;
  readonly rank: number;
  readonly score: number;
  readonly breakdown: readonly FeatureValue[];
  readonly match: SkillMatch;
  readonly explanation: string;
}

export interface ModelRef {
  readonly name: string;
  readonly sha256: string;
}

export interface RankingMeta {
  readonly timingsMs: {
    readonly retrieve: number;
    readonly features: number;
    readonly rerank: number;
    readonly fairness: number;
    readonly total: number;
  };
  readonly retrieved: {
    readonly vector: number;
    readonly graph: number;
    readonly pool: number;
    readonly afterFilters: number;
  };
  readonly reranked: number;
  readonly embeddingModel: ModelRef | null;
  readonly rerankerModel: ModelRef | null;
  /** The learned fusion model whose weights are the base (null: the hand-set weights). */
  readonly fusionModel: FusionModelRef | null;
  readonly escoVersion: string;
  readonly weights: Weights;
  readonly stagesSkipped: readonly string[];
  readonly cached: boolean;
}

export interface ConstraintReport {
  readonly applied: boolean;
  readonly feasible: boolean;
  readonly swaps: number;
  readonly scoreLoss: number;
  readonly note: string;
}

export interface FairnessWithAttribute extends FairnessReport {
  readonly attribute: 'gender' | 'ageBand';
}

export interface RankingResult {
  readonly subjectId: string;
  readonly items: readonly RankedItem[];
  readonly offset: number;
  readonly totalCount: number;
  readonly meta: RankingMeta;
  readonly fairness: FairnessReport | null;
  readonly fairnessAttribute: string | null;
  readonly constraint: ConstraintReport | null;
}

interface Candidate {
  readonly id: string;
  readonly region: string | null;
  readonly occupations: OccupationRef[];
  readonly cosine: number | null;
  readonly idealCosine: number | null;
  readonly applied: boolean;
  readonly applicationStatus: string | null;
  readonly applications: number;
  readonly progressed: number;
}

interface Scored {
  readonly id: string;
  score: number;
  breakdown: FeatureValue[];
  readonly match: SkillMatch;
  readonly explainInput: Omit<Parameters<typeof explain>[0], 'crossEncoder'>;
  /** Reranker text of the item; for candidates read lazily, for the head only. */
  text: string | null;
  readonly values: Partial<Record<FeatureName, number | null>>;
  readonly qualified: boolean | null;
}

/** Small LRU for cross-encoder scores and whole rankings (repeated requests). */
class Lru<V> {
  private readonly map = new Map<string, { value: V; at: number }>();
  constructor(
    private readonly max: number,
    private readonly ttlMs: number,
  ) {}
  get(key: string): V | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    if (Date.now() - hit.at > this.ttlMs) {
      this.map.delete(key);
      return undefined;
    }
    this.map.delete(key);
    this.map.set(key, hit);
    return hit.value;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, { value, at: Date.now() });
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

const byLabel = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function occupationsOf(value: unknown): OccupationRef[] {
  return (Array.isArray(value) ? (value as Row[]) : [])
    .filter(Boolean)
    .map((o) => ({ uri: String(o.uri), iscoGroup: str(o.iscoGroup), label: str(o.label) ?? String(o.uri) }));
}

export interface RankingDeps {
  readonly gateway: Neo4jGateway;
  readonly gaps: GapRepository;
  readonly embedder: Embedder | null;
  readonly reranker: Reranker | null;
  readonly embeddings: EmbeddingSync | null;
  readonly minGroupSize: number;
  /** How long a computed ranking is reused for an identical request. */
  readonly cacheTtlMs: number;
  /**
   * Rankings allowed in the cross-encoder's queue; beyond, a ranking skips it (load shedding).
   * Default: no limit (evaluation and scripts always rerank).
   */
  readonly rerankerMaxWaiting?: number;
  /** A learned fusion model (FUSION_MODEL): its weights replace the hand-set defaults; a request may still override each. */
  readonly fusion?: FusionModel | null;
}

export class RankingService {
  private readonly ceCache = new Lru<number>(100_000, 24 * 3600_000);
  private readonly resultCache: Lru<Omit<RankingResult, 'items' | 'offset'> & { all: RankedItem[] }>;
  private readonly vectorCache = new Lru<Float32Array>(5_000, 3600_000);
  private escoVersion: string | undefined;

  constructor(private readonly deps: RankingDeps) {
    deps.gateway.registry.require([
      'ranking/vacancy-context',
      'ranking/vector-candidates',
      'ranking/graph-recall-candidates',
      'ranking/candidate-features',
      'ranking/candidate-texts',
      'ranking/pool-groups',
      'ranking/esco-version',
      'ranking/candidate-context',
      'ranking/vector-vacancies',
      'ranking/graph-recall-vacancies',
      'ranking/vacancy-features',
    ]);
    this.resultCache = new Lru(200, deps.cacheTtlMs);
  }

  async rankCandidates(
    vacancyId: string,
    k: number,
    after: string | null | undefined,
    options: RankingOptions = {},
  ): Promise<RankingResult> {
    const started = performance.now();
    const params = this.validate(vacancyId, 'vacancyId', k, options);
    const offset = offsetAfter(after);
    const cacheKey = `c|${vacancyId}|${hash(JSON.stringify(params))}|${this.deps.embedder?.info.sha256 ?? ''}`;
    const cached = this.resultCache.get(cacheKey);
    if (cached && covers(cached, offset, k)) return this.page(cached, offset, k, started, true);

    const skipped: string[] = [];
    const [[context], requirementMap] = await Promise.all([
      this.deps.gateway.read('ranking/vacancy-context', { ids: [vacancyId] }),
      this.deps.gaps.vacancyRequirements([vacancyId]),
    ]);
    if (!context) throw new NotFoundError('Vacancy', vacancyId);
    const requirements = requirementMap.get(vacancyId)?.requirements ?? [];
    const occupation = context.occupation as Row | null;
    const target: OccupationRef | null = occupation
      ? {
          uri: String(occupation.uri),
          iscoGroup: str(occupation.iscoGroup),
          label: str(occupation.label) ?? '',
        }
      : null;
    const queryText = vacancyText({
      title: str(context.title),
      description: str(context.description),
      skills: (context.skillLabels as unknown[]).map(String),
    });
    if (requirements.length === 0) skipped.push('skill coverage: the vacancy lists no skills');
    if (!occupation) skipped.push('occupation match and ideal profile: the vacancy names no ESCO occupation');

    // Stage 1: retrieve. Independent reads run concurrently (the database has cores to spare
    // while this process waits).
    const t1 = performance.now();
    const [queryVector, idealVector] = await Promise.all([
      this.queryVector(context.embedding, queryText, skipped),
      occupation
        ? this.embed(
            idealProfileText({
              label: String(occupation.label),
              altLabels: (occupation.altLabels as unknown[]).map(String),
              essentialSkills: (occupation.essentialSkills as unknown[]).map(String),
            }),
            'passage',
            skipped,
          )
        : Promise.resolve(null),
    ]);
    const fetchN = Math.min(
      MAX_RETRIEVE_N,
      params.retrieveN * (params.region || params.excludeApplied ? OVERFETCH : 1),
    );
    const essential = requirements.filter((r) => r.relation === 'essential').map((r) => r.uri);
    const [vectorIds, graphIds] = await Promise.all([
      this.vectorRetrieve('ranking/vector-candidates', 'candidate', queryVector, fetchN, skipped),
      essential.length > 0
        ? this.deps.gateway
            .read('ranking/graph-recall-candidates', { skillUris: essential, n: int(fetchN) })
            .then((rows) => rows.map((r) => String(r.id)))
        : Promise.resolve([]),
    ]);
    const poolIds = [...new Set([...vectorIds, ...graphIds])];
    const retrieveMs = performance.now() - t1;

    // Stage 2: features and fusion. Skill evidence and the (aggregate-only) group read are
    // fetched for the whole pool concurrently with the features; filters apply afterwards.
    const t2 = performance.now();
    const attribute = params.fairness.attribute;
    const [candidates, evidence, groupRows] = await Promise.all([
      this.candidateFeatures(poolIds, vacancyId, queryVector, idealVector),
      this.deps.gaps.skillEvidence(
        poolIds,
        requirements.map((r) => r.uri),
      ),
      this.deps.gateway.read('ranking/pool-groups', { ids: poolIds, attribute }),
    ]);
    const filtered = candidates.filter(
      (c) => (!params.region || c.region === params.region) && (!params.excludeApplied || !c.applied),
    );
    const scored: Scored[] = filtered.map((c) => {
      const match = matchSkills(requirements, evidence.get(c.id) ?? { held: [], near: [] });
      const occ = bestOccupationMatch(target, c.occupations);
      const values: Partial<Record<FeatureName, number | null>> = {
        essentialCoverage: requirements.length > 0 ? match.weightedEssentialCoverage : null,
        optionalCoverage: match.optionalCount > 0 ? match.weightedOptionalCoverage : null,
        occupationMatch: target ? occ.score : null,
        embeddingCosine: c.cosine,
        idealProfileCosine: c.idealCosine,
        regionMatch: context.region ? (c.region === context.region ? 1 : 0) : null,
        outcomeHistory: outcomeHistory(c.progressed, c.applications),
        crossEncoder: null,
      };
      const fused = fuse(values, params.weights);
      return {
        id: c.id,
        score: fused.score,
        breakdown: fused.breakdown,
        match,
        values,
        text: null,
        qualified:
          c.applicationStatus === 'HIRED' || c.applicationStatus === 'INTERVIEW'
            ? true
            : c.applicationStatus === 'REJECTED'
              ? false
              : null,
        explainInput: {
          match,
          occupationLevel: occ.level,
          occupationLabel: occ.occupation?.label ?? null,
          sameRegion: Boolean(context.region) && c.region === context.region,
          embeddingCosine: c.cosine,
          subject: 'candidate',
        },
      };
    });
    sortScored(scored);
    const featuresMs = performance.now() - t2;

    // Stage 2b: cross-encoder over the top M.
    const t3 = performance.now();
    const { reranked, shed } = await this.rerank(scored, queryText, vacancyId, params, skipped);
    const rerankMs = performance.now() - t3;

    // Report: fairness (aggregate only) and the optional constraint.
    const t4 = performance.now();
    let ranked = scored;
    const groups = new Map(groupRows.map((r) => [String(r.id), str(r.group)]));
    const toFairness = (list: Scored[]): FairnessItem[] =>
      list.map((s) => ({
        id: s.id,
        group: groups.get(s.id) ?? null,
        score: s.score,
        qualified: s.qualified,
      }));
    let constraint: ConstraintReport | null = null;
    if (params.fairness.minGroupShare !== null) {
      const spec = params.fairness.group
        ? { group: params.fairness.group, minShare: params.fairness.minGroupShare }
        : { minShare: params.fairness.minGroupShare };
      const outcome = applyMinGroupShare(toFairness(ranked), k, spec, this.deps.minGroupSize);
      const byId = new Map(ranked.map((s) => [s.id, s]));
      ranked = outcome.ranked.map((f) => byId.get(f.id)).filter((s): s is Scored => s !== undefined);
      constraint = {
        applied: outcome.changed,
        feasible: outcome.feasible,
        swaps: outcome.swaps.length,
        scoreLoss: outcome.scoreLoss,
        note: outcome.note,
      };
    }
    const fairness = measureFairness(toFairness(ranked), k, this.deps.minGroupSize);
    const fairnessMs = performance.now() - t4;

    const all = toRankedItems(ranked);
    const result = {
      subjectId: vacancyId,
      all,
      totalCount: all.length,
      meta: {
        timingsMs: {
          retrieve: retrieveMs,
          features: featuresMs,
          rerank: rerankMs,
          fairness: fairnessMs,
          total: 0,
        },
        retrieved: {
          vector: vectorIds.length,
          graph: graphIds.length,
          pool: poolIds.length,
          afterFilters: filtered.length,
        },
        reranked,
        ...this.models(reranked),
        escoVersion: await this.esco(),
        weights: params.weights,
        stagesSkipped: skipped,
        cached: false,
      },
      fairness,
      fairnessAttribute: attribute,
      constraint,
    };
    if (!shed) this.resultCache.set(cacheKey, { ...result, all: result.all.slice(0, CACHED_ITEMS) });
    return this.page(result, offset, k, started, false);
  }

  async rankVacancies(
    candidateId: string,
    k: number,
    after: string | null | undefined,
    options: RankingOptions = {},
  ): Promise<RankingResult> {
    const started = performance.now();
    const params = this.validate(candidateId, 'candidateId', k, options);
    const offset = offsetAfter(after);
    const cacheKey = `v|${candidateId}|${hash(JSON.stringify(params))}|${this.deps.embedder?.info.sha256 ?? ''}`;
    const cached = this.resultCache.get(cacheKey);
    if (cached && covers(cached, offset, k)) return this.page(cached, offset, k, started, true);

    const skipped: string[] = [];
    const [context] = await this.deps.gateway.read('ranking/candidate-context', { id: candidateId });
    if (!context) throw new NotFoundError('Candidate', candidateId);
    const held = occupationsOf(context.occupations);
    const queryText = candidateText({
      summary: str(context.summary),
      skills: (context.skillLabels as unknown[]).map(String),
      occupations: held.map((o) => o.label ?? ''),
    });

    const t1 = performance.now();
    const queryVector = await this.queryVector(context.embedding, queryText, skipped);
    const filtering = params.region || params.excludeApplied || params.vacancyStatus;
    const fetchN = Math.min(MAX_RETRIEVE_N, params.retrieveN * (filtering ? OVERFETCH : 1));
    const [vectorIds, graphIds] = await Promise.all([
      this.vectorRetrieve('ranking/vector-vacancies', 'vacancy', queryVector, fetchN, skipped),
      this.deps.gateway
        .read('ranking/graph-recall-vacancies', { candidateId, n: int(fetchN) })
        .then((rows) => rows.map((r) => String(r.id))),
    ]);
    const poolIds = [...new Set([...vectorIds, ...graphIds])];
    const retrieveMs = performance.now() - t1;

    const t2 = performance.now();
    // Features and requirements of the whole pool at once; filters apply afterwards.
    const [rows, requirements] = await Promise.all([
      this.deps.gateway.read('ranking/vacancy-features', {
        ids: poolIds,
        candidateId,
        query: queryVector ? Array.from(queryVector) : null,
      }),
      this.deps.gaps.vacancyRequirements(poolIds),
    ]);
    const filtered = rows.filter(
      (r) =>
        (!params.vacancyStatus || r.status === params.vacancyStatus) &&
        (!params.region || r.region === params.region) &&
        (!params.excludeApplied || r.applicationStatus === null),
    );
    const allUris = new Set<string>();
    for (const v of requirements.values()) for (const r of v.requirements) allUris.add(r.uri);
    const evidence = await this.deps.gaps.candidateEvidence(candidateId, [...allUris]);
    const scored: Scored[] = filtered.map((r) => {
      const id = String(r.id);
      const reqs: readonly RequirementRow[] = requirements.get(id)?.requirements ?? [];
      const match = matchSkills(reqs, evidence);
      const occRow = r.occupation as Row | null;
      const target: OccupationRef | null = occRow
        ? { uri: String(occRow.uri), iscoGroup: str(occRow.iscoGroup), label: str(occRow.label) ?? '' }
        : null;
      const occ = bestOccupationMatch(target, held);
      const cosine = num(r.cosine);
      const values: Partial<Record<FeatureName, number | null>> = {
        essentialCoverage: reqs.length > 0 ? match.weightedEssentialCoverage : null,
        optionalCoverage: match.optionalCount > 0 ? match.weightedOptionalCoverage : null,
        occupationMatch: target ? occ.score : null,
        embeddingCosine: cosine,
        idealProfileCosine: num(r.idealCosine),
        regionMatch: context.region ? (r.region === context.region ? 1 : 0) : null,
        outcomeHistory: null,
        crossEncoder: null,
      };
      const fused = fuse(values, params.weights);
      return {
        id,
        score: fused.score,
        breakdown: fused.breakdown,
        match,
        values,
        text: vacancyText({
          title: str(r.title),
          description: str(r.description),
          skills: (r.skillLabels as unknown[]).map(String),
        }),
        qualified: null,
        explainInput: {
          match,
          occupationLevel: occ.level,
          occupationLabel: target?.label ?? null,
          sameRegion: Boolean(context.region) && r.region === context.region,
          embeddingCosine: cosine,
          subject: 'vacancy',
        },
      };
    });
    sortScored(scored);
    const featuresMs = performance.now() - t2;

    const t3 = performance.now();
    const { reranked, shed } = await this.rerank(scored, queryText, candidateId, params, skipped, true);
    const rerankMs = performance.now() - t3;

    const all = toRankedItems(scored);
    const result = {
      subjectId: candidateId,
      all,
      totalCount: all.length,
      meta: {
        timingsMs: { retrieve: retrieveMs, features: featuresMs, rerank: rerankMs, fairness: 0, total: 0 },
        retrieved: {
          vector: vectorIds.length,
          graph: graphIds.length,
          pool: poolIds.length,
          afterFilters: filtered.length,
        },
        reranked,
        ...this.models(reranked),
        escoVersion: await this.esco(),
        weights: params.weights,
        stagesSkipped: [
          ...skipped,
          "fairness: audited for candidate rankings (rankCandidates), not for one person's vacancy list",
        ],
        cached: false,
      },
      fairness: null,
      fairnessAttribute: null,
      constraint: null,
    };
    if (!shed) this.resultCache.set(cacheKey, { ...result, all: result.all.slice(0, CACHED_ITEMS) });
    return this.page(result, offset, k, started, false);
  }

  // ---- helpers ---------------------------------------------------------------------------

  private validate(id: string, argument: string, k: number, options: RankingOptions) {
    if (!ID_PATTERN.test(id))
      throw new BadUserInputError(`${argument} is not a valid id: "${id.slice(0, 80)}"`, { argument });
    if (!Number.isInteger(k) || k < 1 || k > MAX_K)
      throw new BadUserInputError(`k must be between 1 and ${MAX_K} (got ${k})`, { argument: 'k' });
    const retrieveN = options.retrieveN ?? 500;
    if (!Number.isInteger(retrieveN) || retrieveN < 1 || retrieveN > MAX_RETRIEVE_N) {
      throw new BadUserInputError(
        `options.retrieveN must be between 1 and ${MAX_RETRIEVE_N} (got ${retrieveN})`,
        { argument: 'options.retrieveN' },
      );
    }
    const rerankM = options.rerankM ?? 30;
    if (!Number.isInteger(rerankM) || rerankM < 0 || rerankM > MAX_RERANK_M) {
      throw new BadUserInputError(`options.rerankM must be between 0 and ${MAX_RERANK_M} (got ${rerankM})`, {
        argument: 'options.rerankM',
      });
    }
    let weights: Weights;
    try {
      weights = mergeWeights(options.weights, this.deps.fusion?.weights);
    } catch (error) {
      throw new BadUserInputError(`options.weights: ${(error as Error).message}`, {
        argument: 'options.weights',
      });
    }
    const share = options.fairness?.minGroupShare ?? null;
    if (share !== null && (!Number.isFinite(share) || share < 0 || share > 1)) {
      throw new BadUserInputError('options.fairness.minGroupShare must be between 0 and 1', {
        argument: 'options.fairness.minGroupShare',
      });
    }
    return {
      retrieveN,
      rerankM,
      weights,
      useReranker: options.useReranker ?? true,
      region: options.region ?? null,
      excludeApplied: options.excludeApplied ?? false,
      vacancyStatus: options.vacancyStatus === undefined ? 'OPEN' : options.vacancyStatus,
      fairness: {
        attribute: options.fairness?.attribute ?? 'gender',
        minGroupShare: share,
        group: options.fairness?.group ?? null,
      },
    };
  }

  private page(
    result: Omit<RankingResult, 'items' | 'offset'> & { all: RankedItem[] },
    offset: number,
    k: number,
    started: number,
    cached: boolean,
  ): RankingResult {
    const total = performance.now() - started;
    return {
      subjectId: result.subjectId,
      items: result.all.slice(offset, offset + k),
      offset,
      totalCount: result.totalCount,
      meta: { ...result.meta, cached, timingsMs: { ...result.meta.timingsMs, total } },
      fairness: result.fairness,
      fairnessAttribute: result.fairnessAttribute,
      constraint: result.constraint,
    };
  }

  /**
   * The subject's query vector. A model that embeds queries and passages alike (no prefixes or
   * instructions, e.g. all-minilm-l6-v2) has already embedded the subject's text as a passage:
   * its stored vector is used, so a ranking runs no model at all before the cross-encoder.
   * Otherwise (or while the stored vector is missing) the text is embedded as a query.
   */
  private async queryVector(stored: unknown, text: string, skipped: string[]): Promise<Float32Array | null> {
    const info = this.deps.embedder?.info;
    if (
      info &&
      info.queryPrefix === info.passagePrefix &&
      Array.isArray(stored) &&
      stored.length === info.dimension
    ) {
      return Float32Array.from(stored as number[]);
    }
    return this.embed(text, 'query', skipped);
  }

  private async embed(
    text: string,
    kind: 'query' | 'passage',
    skipped: string[],
  ): Promise<Float32Array | null> {
    const embedder = this.deps.embedder;
    if (!embedder) {
      if (!skipped.includes('embeddings: no embedding model loaded'))
        skipped.push('embeddings: no embedding model loaded');
      return null;
    }
    const key = `${embedder.info.sha256}|${kind}|${text}`;
    const hit = this.vectorCache.get(key);
    if (hit) return hit;
    const [vector] = await embedder.embed([text], kind);
    if (vector) this.vectorCache.set(key, vector);
    return vector ?? null;
  }

  private async vectorRetrieve(
    statement: string,
    target: 'candidate' | 'vacancy',
    vector: Float32Array | null,
    n: number,
    skipped: string[],
  ): Promise<string[]> {
    if (!vector) return [];
    if (this.deps.embeddings && !this.deps.embeddings.isComplete(target)) {
      skipped.push(`vector retrieval: ${target} embeddings are still being computed (graph recall only)`);
      return [];
    }
    const rows = await this.deps.gateway.read(statement, { n: int(n), vector: Array.from(vector) });
    return rows.map((r) => String(r.id));
  }

  private async candidateFeatures(
    ids: readonly string[],
    vacancyId: string,
    query: Float32Array | null,
    ideal: Float32Array | null,
  ): Promise<Candidate[]> {
    const out: Candidate[] = [];
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await this.deps.gateway.read('ranking/candidate-features', {
        ids: ids.slice(i, i + 1000),
        query: query ? Array.from(query) : null,
        ideal: ideal ? Array.from(ideal) : null,
      });
      for (const r of rows) {
        const applied = Array.isArray(r.applied) ? (r.applied as unknown[][]) : [];
        const mine = applied.find((a) => a[0] === vacancyId);
        const applicationStatus = mine ? str(mine[1]) : null;
        out.push({
          id: String(r.id),
          region: str(r.region),
          // Ordered by label, so ties between equally good occupation matches break the same way on every store.
          occupations: occupationsOf(r.occupations).sort((a, b) => byLabel(a.label ?? '', b.label ?? '')),
          cosine: num(r.cosine),
          idealCosine: num(r.idealCosine),
          applied: mine !== undefined,
          applicationStatus,
          applications: applied.length,
          progressed: applied.filter((a) => a[1] === 'INTERVIEW' || a[1] === 'HIRED').length,
        });
      }
    }
    return out;
  }

  /** Cross-encoder over the top M (scores cached per subject, item, model and text); re-sorts them. */
  private async rerank(
    scored: Scored[],
    subjectText: string,
    subjectId: string,
    params: ReturnType<RankingService['validate']>,
    skipped: string[],
    itemIsQuery = false,
  ): Promise<{ reranked: number; shed: boolean }> {
    const reranker = this.deps.reranker;
    const m = Math.min(params.rerankM, scored.length);
    if (!params.useReranker || m === 0) {
      if (!params.useReranker) skipped.push('cross-encoder: turned off by the request');
      return { reranked: 0, shed: false };
    }
    if (!reranker) {
      skipped.push('cross-encoder: no reranker model loaded');
      return { reranked: 0, shed: false };
    }
    const waiting = reranker.pending();
    const maxWaiting = this.deps.rerankerMaxWaiting ?? Number.POSITIVE_INFINITY;
    if (waiting >= maxWaiting) {
      // Load shedding: a queue of cross-encoder work would make every ranking late; this one
      // keeps its stage-2 order, says so, and is not cached.
      skipped.push(
        `cross-encoder: skipped under load (${waiting} rankings already waiting for it; RERANKER_MAX_WAITING=${maxWaiting})`,
      );
      return { reranked: 0, shed: true };
    }
    const head = scored.slice(0, m);
    await this.fillCandidateTexts(head.filter((s) => s.text === null));
    const keys = head.map(
      (s) => `${reranker.info.sha256}|${subjectId}|${s.id}|${hash(subjectText)}|${hash(s.text ?? '')}`,
    );
    const missing = head
      .map((s, i) => ({ s, key: keys[i] ?? '' }))
      .filter((x) => this.ceCache.get(x.key) === undefined);
    if (missing.length > 0) {
      const pairs = missing.map((x) =>
        itemIsQuery
          ? ([clip(x.s.text ?? '', CE_QUERY_CHARS), clip(subjectText, CE_PASSAGE_CHARS)] as const)
          : ([clip(subjectText, CE_QUERY_CHARS), clip(x.s.text ?? '', CE_PASSAGE_CHARS)] as const),
      );
      const scores = await reranker.score(pairs);
      missing.forEach((x, i) => this.ceCache.set(x.key, scores[i] ?? 0));
    }
    head.forEach((s, i) => {
      const ce = this.ceCache.get(keys[i] ?? '') ?? 0;
      s.values.crossEncoder = ce;
      const fused = fuse(s.values, params.weights);
      s.score = fused.score;
      s.breakdown = fused.breakdown;
    });
    // Adding a non-negative term to the head keeps it above the tail; only the head re-orders.
    const sortedHead = [...head];
    sortScored(sortedHead);
    scored.splice(0, m, ...sortedHead);
    return { reranked: m, shed: false };
  }

  private async fillCandidateTexts(items: Scored[]): Promise<void> {
    if (items.length === 0) return;
    const rows = await this.deps.gateway.read('ranking/candidate-texts', { ids: items.map((s) => s.id) });
    const texts = new Map(
      rows.map((r) => [
        String(r.id),
        candidateText({
          summary: str(r.summary),
          skills: (r.skillLabels as unknown[]).map(String),
          occupations: (r.occupationLabels as unknown[]).map(String),
        }),
      ]),
    );
    for (const s of items) s.text = texts.get(s.id) ?? '';
  }

  /** Model provenance for `meta`: the reranker only when it ran. */
  private models(reranked: number): {
    embeddingModel: ModelRef | null;
    rerankerModel: ModelRef | null;
    fusionModel: FusionModelRef | null;
  } {
    const { embedder, reranker } = this.deps;
    return {
      fusionModel: this.deps.fusion ? fusionModelRef(this.deps.fusion) : null,
      embeddingModel: embedder ? { name: embedder.info.name, sha256: embedder.info.sha256 } : null,
      rerankerModel:
        reranked > 0 && reranker ? { name: reranker.info.name, sha256: reranker.info.sha256 } : null,
    };
  }

  private async esco(): Promise<string> {
    if (this.escoVersion === undefined) {
      const [row] = await this.deps.gateway.read('ranking/esco-version');
      this.escoVersion = str(row?.version) ?? 'unknown';
    }
    return this.escoVersion;
  }
}

function toRankedItems(list: readonly Scored[]): RankedItem[] {
  return list.map((s, i) => ({
    id: s.id,
    rank: i + 1,
    score: s.score,
    breakdown: s.breakdown,
    match: s.match,
    explanation: explain({ ...s.explainInput, crossEncoder: s.values.crossEncoder ?? null }),
  }));
}

/** Whether a cached ranking holds the requested page. */
function covers(
  cached: { all: readonly RankedItem[]; totalCount: number },
  offset: number,
  k: number,
): boolean {
  return offset + k <= cached.all.length || cached.all.length === cached.totalCount;
}

function sortScored(list: Scored[]): void {
  list.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
