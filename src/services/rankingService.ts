/**
 * Two-stage, explained, audited ranking (MUSE-style tiers), as one pipeline for both directions:
 * retrieve → features → rerank → fuse → fairness → page. What differs between candidates for a
 * vacancy and vacancies for a candidate is a small strategy object (`rankingSides.ts`); the graph
 * reads are `RankingReads` (`src/graph/ranking/rankingRepository.ts`), typed records in and out.
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
import { createHash, randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { BadUserInputError, ForbiddenError, OverloadedError } from '../errors.js';
import { requireId, requireInRange } from '../domain/validation.js';
import type { RankedKind, RankingReads } from '../graph/ranking/rankingRepository.js';
import type { Embedder } from '../inference/embedder.js';
import type { Reranker } from '../inference/reranker.js';
import { explain } from '../ranking/explanation.js';
import {
  measureFairness,
  measureFairnessPrivately,
  type FairnessItem,
  type FairnessReport,
} from '../ranking/fairness.js';
import { applyMinGroupShare } from '../ranking/fairnessConstraint.js';
import {
  bestOccupationMatch,
  fuse,
  mergeWeights,
  type FeatureName,
  type FeatureValue,
  type Weights,
} from '../ranking/features.js';
import type { FusionModel } from '../ranking/learnedFusion.js';
import { matchSkills, type SkillMatch } from '../ranking/skillMatch.js';
import { crossEncoderPair } from '../ranking/texts.js';
import { DataVersionClock } from './dataVersionClock.js';
import type { EmbeddingSync } from './embeddingSync.js';
import { positionAfter, rankingCursor } from './rankingCursor.js';
import { outsideRequest, recordServiceTime } from '../requestScope.js';
import { fusionModelRef, type FusionModelRef } from './fusionModel.js';
import {
  candidatesForVacancy,
  vacanciesForCandidate,
  type ApplicationScope,
  type PoolFilters,
  type PoolItem,
  type RankingSide,
  type Subject,
} from './rankingSides.js';

export const MAX_K = 100;
export const MAX_RETRIEVE_N = 5000;
export const MAX_RERANK_M = 200;
const OVERFETCH = 2;
/** The result cache holds at most this many ranked items over all its entries (memory). */
const CACHED_ITEMS_TOTAL = 100_000;
/** Suggested wait before retrying a ranking refused because the cross-encoder's queue is full. */
const OVERLOADED_RETRY_MS = 1_000;

/**
 * Who asks, as far as a ranking's content depends on it. ADMIN sees every organization's
 * applications and exact fairness figures; a recruiter sees the applications to its
 * organization's vacancies; a partner sees none; every role but ADMIN gets privacy-protected
 * fairness figures and may not target groups (`measureFairnessPrivately`).
 */
export interface RankingViewer {
  readonly role: string;
  readonly organizationId: string | null;
}

/** The viewer of in-process callers (evaluation, scripts), which are trusted. */
export const TRUSTED_VIEWER: RankingViewer = { role: 'ADMIN', organizationId: null };

export interface RankingOptions {
  /** The caller (default {@link TRUSTED_VIEWER}): the API always passes its principal's. */
  readonly viewer?: RankingViewer | null;
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
  /** The people data version the request saw (reads of the item's record for this answer). */
  readonly dataVersion: number;
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
  /**
   * retrieve, features, rerank and computed: the computation of the ranking this answer uses
   * (an earlier request's when `cached`); fairness and total: this request's (fairness and
   * the constraint run per request, for its k).
   */
  readonly timingsMs: {
    readonly retrieve: number;
    readonly features: number;
    readonly rerank: number;
    readonly fairness: number;
    /** The whole computation of the ranked list (retrieve + features + rerank and reads), done once per cache entry. */
    readonly computed: number;
    readonly total: number;
  };
  readonly retrieved: {
    readonly vector: number;
    readonly graph: number;
    readonly pool: number;
    readonly afterFilters: number;
  };
  readonly reranked: number;
  /** What stage 2 read: the graph, or the in-process candidate projection (same values). */
  readonly featureSource: 'GRAPH' | 'PROJECTION';
  /** What stage 1's graph recall read (same ids either way); null where no recall ran. */
  readonly recallSource: 'GRAPH' | 'PROJECTION' | null;
  readonly embeddingModel: ModelRef | null;
  readonly rerankerModel: ModelRef | null;
  /** The learned fusion model whose weights are the base (null: the hand-set weights). */
  readonly fusionModel: FusionModelRef | null;
  readonly escoVersion: string;
  readonly weights: Weights;
  readonly stagesSkipped: readonly string[];
  readonly cached: boolean;
  /** Names the ranked list (and is in its cursors): equal for equal subject, options, scope, models and data. */
  readonly rankingId: string;
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
  /** The ranked list this page is of (see `rankingCursor.ts`); also `meta.rankingId`. */
  readonly rankingId: string;
  readonly items: readonly RankedItem[];
  readonly offset: number;
  /** The opaque cursor of a 0-based position in this ranking. */
  readonly cursorAt: (position: number) => string;
  readonly totalCount: number;
  readonly meta: RankingMeta;
  readonly fairness: FairnessReport | null;
  readonly fairnessAttribute: string | null;
  readonly constraint: ConstraintReport | null;
}

/** The request's options, validated and defaulted: everything that shapes an answer (cache key). */
interface RankingParams {
  readonly retrieveN: number;
  readonly rerankM: number;
  readonly weights: Weights;
  readonly useReranker: boolean;
  readonly region: string | null;
  readonly excludeApplied: boolean;
  readonly vacancyStatus: 'OPEN' | 'CLOSED' | null;
  readonly fairness: {
    readonly attribute: 'gender' | 'ageBand';
    readonly minGroupShare: number | null;
    readonly group: string | null;
  };
  /** The viewer's part of the answer: which applications count, and whether figures are protected. */
  readonly applications: ApplicationScope;
  readonly privateFairness: boolean;
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

/** One item of a computed ranking before the per-request audit (rank comes with the page). */
interface BaseItem extends Omit<RankedItem, 'rank' | 'explanation' | 'dataVersion'> {
  readonly qualified: boolean | null;
  /**
   * The item's explanation, written when a page first shows the item (then kept): a pool has
   * ~800 items and a page shows 20, so writing all of them up front cost more than the scoring.
   */
  readonly explanation: () => string;
}

/**
 * A computed ranking before the audit and paging: what the result cache keeps. Everything here
 * depends only on the cache key (never on k or the cursor); the fairness figures and the
 * minimum-group-share constraint (which re-orders by k) are computed from it per request.
 */
interface BaseRanking {
  readonly subjectId: string;
  readonly items: readonly BaseItem[];
  /** The audit attribute's group per pool item; null: the side is not audited. */
  readonly groups: ReadonlyMap<string, string | null> | null;
  /**
   * The audits of this list by k, once computed (a pure function of the list, k and the cache
   * key's options): a repeated request reuses its audit (at most AUDITS_PER_RANKING values of k).
   */
  readonly audits: Map<number, Audit>;
  readonly meta: Omit<RankingMeta, 'cached' | 'timingsMs' | 'rankingId'> & {
    readonly timingsMs: Omit<RankingMeta['timingsMs'], 'fairness' | 'total'>;
  };
}

type Audit = {
  readonly ranked: readonly BaseItem[];
  readonly fairness: FairnessReport;
  readonly constraint: ConstraintReport | null;
};

/** Values of k whose audit a cached ranking keeps. */
const AUDITS_PER_RANKING = 8;

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

export interface RankingDeps {
  readonly repository: RankingReads;
  readonly embedder: Embedder | null;
  readonly reranker: Reranker | null;
  /** Whether each vector index is complete (null: always; vector retrieval waits for it otherwise). */
  readonly embeddings: Pick<EmbeddingSync, 'isComplete'> | null;
  readonly minGroupSize: number;
  /** How long a computed ranking is reused for an identical request (0: not at all). */
  readonly cacheTtlMs: number;
  /**
   * How old the people data version a request uses may be (RANKING_VERSION_MAX_AGE_MS): writes by
   * other processes are seen within this bound, writes through this process at once (`changed`).
   * 0 or absent: read per request.
   */
  readonly versionMaxAgeMs?: number;
  /** Whether the cross-encoder runs when a request leaves `useReranker` out (RANKING_USE_RERANKER; default false). */
  readonly defaultUseReranker?: boolean;
  /**
   * Rankings allowed in the cross-encoder's queue; when that many already wait, a ranking that
   * needs it is refused with SERVICE_OVERLOADED (never ranked without it). Default: no limit.
   */
  readonly rerankerMaxWaiting?: number;
  /** A learned fusion model (FUSION_MODEL): its weights replace the hand-set defaults; a request may still override each. */
  readonly fusion?: FusionModel | null;
}

export class RankingService {
  /** Ranked lists of repeated requests (before the per-request audit); null when `cacheTtlMs` is 0. */
  private readonly resultCache: LRUCache<string, BaseRanking> | null;
  /** Bumped by every write that changes ranking inputs (`changed`); part of each cache key. */
  private generation = 0;
  /** Query and ideal-profile vectors per model, kind and text. */
  private readonly vectorCache = new LRUCache<string, Float32Array>({ max: 5_000, ttl: 3600_000 });
  private readonly candidates: ReturnType<typeof candidatesForVacancy>;
  private readonly vacancies: ReturnType<typeof vacanciesForCandidate>;
  private escoVersion: string | undefined;
  /** The people data version (writes by any process), read at most every `versionMaxAgeMs`. */
  private readonly dataVersion: DataVersionClock;
  /**
   * This server run: in every ranking id, because the data generation restarts at 0 with the
   * process, so a cursor from before a restart cannot be taken for one of the data now.
   */
  private readonly run = randomBytes(8).toString('hex');

  constructor(private readonly deps: RankingDeps) {
    this.resultCache =
      deps.cacheTtlMs > 0
        ? new LRUCache<string, BaseRanking>({
            max: 500,
            maxSize: CACHED_ITEMS_TOTAL,
            sizeCalculation: (ranking) => ranking.items.length + 1,
            ttl: Math.ceil(deps.cacheTtlMs),
          })
        : null;
    this.candidates = candidatesForVacancy(deps.repository);
    this.vacancies = vacanciesForCandidate(deps.repository);
    const maxAgeMs = deps.versionMaxAgeMs ?? 0;
    // A shared read (and a background one) belongs to no request: started inside one, it would
    // carry that request's deadline and abort signal to every request that waits on it, and to
    // the background reads after it has ended (each failing as out of time).
    this.dataVersion = new DataVersionClock(
      maxAgeMs > 0
        ? () => outsideRequest(() => deps.repository.dataVersion())
        : () => deps.repository.dataVersion(),
      maxAgeMs,
    );
  }

  /** Candidates for a vacancy, with fairness figures and the optional minimum-group-share constraint. */
  rankCandidates(
    vacancyId: string,
    k: number,
    after: string | null | undefined,
    options: RankingOptions = {},
  ): Promise<RankingResult> {
    return this.rank(this.candidates, vacancyId, k, after, options);
  }

  /** Vacancies for a candidate (the same pipeline from the other side; no fairness audit). */
  rankVacancies(
    candidateId: string,
    k: number,
    after: string | null | undefined,
    options: RankingOptions = {},
  ): Promise<RankingResult> {
    return this.rank(this.vacancies, candidateId, k, after, options);
  }

  /**
   * Drops the cached rankings that list `id` (a candidate or vacancy erased since): the next
   * identical request recomputes instead of pointing at someone who is gone. Per process; other
   * processes drop theirs when they meet the id, or after `cacheTtlMs`.
   */
  forget(id: string): void {
    const cache = this.resultCache;
    if (!cache) return;
    for (const [key, ranking] of cache.entries()) {
      if (ranking.items.some((item) => item.id === id)) cache.delete(key);
    }
  }

  /**
   * A write changed ranking inputs (a candidate, vacancy or application written, someone erased,
   * people imported): every ranking computed before is stale. The data generation is part of
   * each cache key, so no later request meets a ranking computed before the write (the
   * subject's own version is covered by it too). Per process, like the cache.
   */
  changed(): void {
    this.generation += 1;
    this.dataVersion.invalidate();
    this.resultCache?.clear();
  }

  /** Stops the background reads of the data version (the service is stopping). */
  close(): void {
    this.dataVersion.stop();
  }

  /** The data generation (how many writes this process has seen); in cursors and tests. */
  get dataGeneration(): number {
    return this.generation;
  }

  // ---- the pipeline ----------------------------------------------------------------------

  private async rank<S extends Subject>(
    side: RankingSide<S>,
    subjectId: string,
    k: number,
    after: string | null | undefined,
    options: RankingOptions,
  ): Promise<RankingResult> {
    const started = performance.now();
    const params = this.validate(subjectId, side.argument, k, options);
    const { key: cacheKey, dataVersion } = await this.cacheKey(side, subjectId, params);
    const rankingId = this.rankingId(cacheKey, params, k);
    const offset = positionAfter(after, rankingId);
    const hit = this.resultCache?.get(cacheKey);
    const page = { rankingId, offset, k, dataVersion };
    if (hit) return this.finish(side, hit, params, page, started, true);
    const generation = this.generation;
    const base = await this.compute(side, subjectId, params, dataVersion);
    // A write that landed while this ranking was computed may not be in it: not cached.
    if (generation === this.generation) this.resultCache?.set(cacheKey, base);
    return this.finish(side, base, params, page, started, false);
  }

  /**
   * The id of the ranked list a request pages through: its cache key in this server run, and k
   * when a minimum-group-share constraint re-orders the top k (pages of other sizes are then
   * another order). The list computed for it is deterministic (no stage depends on the load;
   * ties break by id), so pages of one id follow each other whether or not the list was cached.
   */
  private rankingId(cacheKey: string, params: RankingParams, k: number): string {
    const constrained = params.fairness.minGroupShare !== null ? `|k=${k}` : '';
    return createHash('sha256')
      .update(`${this.run}|${cacheKey}${constrained}`)
      .digest('base64url')
      .slice(0, 16);
  }

  /**
   * Everything that shapes a ranked list: side, subject, every validated option (which include
   * the viewer's scope: which applications count, whether fairness figures are protected), the
   * embedder, reranker and fusion models, the ESCO version, the data generation of this process and
   * the data version of the graph (writes by other processes). k and the
   * cursor are not in it: the audit and the page are computed per request.
   */
  private async cacheKey<S extends Subject>(
    side: RankingSide<S>,
    subjectId: string,
    params: RankingParams,
  ): Promise<{ key: string; dataVersion: number }> {
    const { embedder, reranker, fusion } = this.deps;
    const dataVersion = await this.dataVersion.current();
    const parts = {
      params,
      embedder: embedder?.info.sha256 ?? null,
      reranker: params.useReranker ? (reranker?.info.sha256 ?? null) : null,
      fusion: fusion ? fusionModelRef(fusion) : null,
      esco: await this.esco(),
      // Writes by any process (an import, another replica), from the count store: a cached ranking
      // never outlives a change of the data it was computed from (seen within versionMaxAgeMs).
      data: dataVersion,
      // A ranking made while the vector index was still being filled (graph recall only) is
      // another ranking than the one made once it is complete.
      vectorsComplete: this.deps.embeddings?.isComplete(side.items) ?? true,
    };
    return { key: `${side.tag}|${subjectId}|${this.generation}|${hash(JSON.stringify(parts))}`, dataVersion };
  }

  /** Stages 1 to 2b: the ranked list (one definition, for cached and fresh answers alike). */
  private async compute<S extends Subject>(
    side: RankingSide<S>,
    subjectId: string,
    params: RankingParams,
    dataVersion: number,
  ): Promise<BaseRanking> {
    const t0 = performance.now();
    const skipped: string[] = [];
    const subject = await side.load(subjectId, skipped);
    const filters: PoolFilters = {
      region: params.region,
      excludeApplied: params.excludeApplied,
      vacancyStatus: params.vacancyStatus,
      attribute: params.fairness.attribute,
      applications: params.applications,
    };

    // Stage 1: retrieve. Independent reads run concurrently (the database has cores to spare
    // while this process waits): the graph recall and the ideal profile's vector (needed by stage
    // 2 only) do not wait for the query vector, nor the vector search for the ideal profile.
    const t1 = performance.now();
    const fetchN = Math.min(MAX_RETRIEVE_N, params.retrieveN * (side.filters(filters) ? OVERFETCH : 1));
    const queryP = this.queryVector(subject.embedding, subject.queryText, skipped);
    const [query, ideal, vectorIds, recall] = await Promise.all([
      queryP,
      subject.idealText !== null ? this.embed(subject.idealText, 'passage', skipped) : Promise.resolve(null),
      queryP.then((q) => this.vectorRetrieve(side.items, q, fetchN, skipped)),
      side.recall(subject, fetchN, dataVersion),
    ]);
    const poolIds = [...new Set([...vectorIds, ...recall.ids])];
    const retrieveMs = performance.now() - t1;

    // Stage 2: features and fusion over the filtered pool.
    const t2 = performance.now();
    const pool = await side.pool(subject, poolIds, { query, ideal }, filters, dataVersion);
    const scored = pool.items.map((item) => this.score(side, subject, item, params.weights));
    sortScored(scored);
    const featuresMs = performance.now() - t2;

    // Stage 2b: cross-encoder over the top M.
    const t3 = performance.now();
    const reranked = await this.rerank(side, scored, subject, params, skipped);
    const rerankMs = performance.now() - t3;
    if (side.unaudited !== null) skipped.push(side.unaudited);

    return {
      subjectId,
      items: toBaseItems(scored),
      groups: pool.groups && side.unaudited === null ? pool.groups : null,
      audits: new Map(),
      meta: {
        timingsMs: {
          retrieve: retrieveMs,
          features: featuresMs,
          rerank: rerankMs,
          computed: performance.now() - t0,
        },
        retrieved: {
          vector: vectorIds.length,
          graph: recall.ids.length,
          pool: poolIds.length,
          afterFilters: pool.items.length,
        },
        reranked,
        featureSource: pool.source,
        recallSource: recall.source,
        ...this.models(reranked),
        escoVersion: await this.esco(),
        weights: params.weights,
        stagesSkipped: skipped,
      },
    };
  }

  /** This request's answer from a ranked list: its audit (fairness, constraint) for k, and its page. */
  private finish<S extends Subject>(
    side: RankingSide<S>,
    base: BaseRanking,
    params: RankingParams,
    page: {
      readonly rankingId: string;
      readonly offset: number;
      readonly k: number;
      readonly dataVersion: number;
    },
    started: number,
    cached: boolean,
  ): RankingResult {
    const { rankingId, offset, k, dataVersion } = page;
    const t4 = performance.now();
    const audit = base.groups && side.unaudited === null ? this.auditOf(base, base.groups, k, params) : null;
    const fairnessMs = audit ? performance.now() - t4 : 0;
    const ranked = audit?.ranked ?? base.items;
    const total = performance.now() - started;
    recordServiceTime('ranking', total);
    return {
      subjectId: base.subjectId,
      rankingId,
      items: ranked
        .slice(offset, offset + k)
        .map((item, i) => toRankedItem(item, offset + i + 1, dataVersion)),
      offset,
      cursorAt: (position) => rankingCursor(rankingId, position),
      totalCount: ranked.length,
      meta: {
        ...base.meta,
        stagesSkipped: [...base.meta.stagesSkipped],
        cached,
        rankingId,
        timingsMs: { ...base.meta.timingsMs, fairness: fairnessMs, total },
      },
      fairness: audit?.fairness ?? null,
      fairnessAttribute: audit ? params.fairness.attribute : null,
      constraint: audit?.constraint ?? null,
    };
  }

  /** Stage 2 of one item: feature values, fused score, skill match and what explains it. */
  private score<S extends Subject>(
    side: RankingSide<S>,
    subject: S,
    item: PoolItem,
    weights: Weights,
  ): Scored {
    const match = matchSkills(item.requirements, item.evidence);
    const occ = bestOccupationMatch(item.target, item.held);
    const values: Partial<Record<FeatureName, number | null>> = {
      essentialCoverage: item.requirements.length > 0 ? match.weightedEssentialCoverage : null,
      optionalCoverage: match.optionalCount > 0 ? match.weightedOptionalCoverage : null,
      occupationMatch: item.target ? occ.score : null,
      embeddingCosine: item.cosine,
      idealProfileCosine: item.idealCosine,
      regionMatch: subject.region ? (item.region === subject.region ? 1 : 0) : null,
      outcomeHistory: item.outcomeHistory,
      crossEncoder: null,
    };
    const fused = fuse(values, weights);
    return {
      id: item.id,
      score: fused.score,
      breakdown: fused.breakdown,
      match,
      values,
      text: item.text,
      qualified: item.qualified,
      explainInput: {
        match,
        occupationLevel: occ.level,
        occupationLabel: side.occupationLabel(item, occ.occupation),
        sameRegion: Boolean(subject.region) && item.region === subject.region,
        embeddingCosine: item.cosine,
        subject: side.items,
      },
    };
  }

  /** Fairness figures of the top k (aggregate only), after the optional minimum-group-share constraint. */
  private auditOf(
    base: BaseRanking,
    groups: ReadonlyMap<string, string | null>,
    k: number,
    params: RankingParams,
  ): Audit {
    const kept = base.audits.get(k);
    if (kept) return kept;
    const audit = this.audit(base.items, groups, k, params);
    if (base.audits.size < AUDITS_PER_RANKING) base.audits.set(k, audit);
    return audit;
  }

  private audit(
    scored: readonly BaseItem[],
    groups: ReadonlyMap<string, string | null>,
    k: number,
    params: RankingParams,
  ): Audit {
    let ranked = scored;
    const toFairness = (list: readonly BaseItem[]): FairnessItem[] =>
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
      ranked = outcome.ranked.map((f) => byId.get(f.id)).filter((s): s is BaseItem => s !== undefined);
      constraint = {
        applied: outcome.changed,
        feasible: outcome.feasible,
        swaps: outcome.swaps.length,
        scoreLoss: outcome.scoreLoss,
        note: outcome.note,
      };
    }
    const measure = params.privateFairness ? measureFairnessPrivately : measureFairness;
    return { ranked, fairness: measure(toFairness(ranked), k, this.deps.minGroupSize), constraint };
  }

  // ---- helpers ---------------------------------------------------------------------------

  private validate(id: string, argument: string, k: number, options: RankingOptions): RankingParams {
    requireId(id, argument);
    requireInRange(k, 'k', { min: 1, max: MAX_K });
    const retrieveN = requireInRange(options.retrieveN ?? 500, 'options.retrieveN', {
      min: 1,
      max: MAX_RETRIEVE_N,
    });
    const rerankM = requireInRange(options.rerankM ?? 30, 'options.rerankM', { min: 0, max: MAX_RERANK_M });
    let weights: Weights;
    try {
      weights = mergeWeights(options.weights, this.deps.fusion?.weights);
    } catch (error) {
      throw new BadUserInputError(
        `options.weights: ${error instanceof Error ? error.message : String(error)}`,
        {
          argument: 'options.weights',
        },
      );
    }
    const share = options.fairness?.minGroupShare ?? null;
    if (share !== null) {
      requireInRange(share, 'options.fairness.minGroupShare', { min: 0, max: 1, integer: false });
    }
    const viewer = options.viewer ?? TRUSTED_VIEWER;
    const admin = viewer.role === 'ADMIN';
    const group = options.fairness?.group ?? null;
    // Group targets are refused, not protected, for every role but ADMIN: a constraint that pulls
    // a group into the top k is a membership oracle (minGroupShare 1 with `group` lists only that
    // group's members; k = 1 names one person's group), and no threshold on the answer makes a
    // re-ranking by a sensitive attribute safe to show per person. Refusing is the simple safe rule.
    if (!admin && (share !== null || group !== null)) {
      throw new ForbiddenError(
        'options.fairness.minGroupShare and options.fairness.group are available to the ADMIN role only: a group-targeted re-ranking would reveal individual people’s attributes',
        {
          argument: share !== null ? 'options.fairness.minGroupShare' : 'options.fairness.group',
          role: viewer.role,
        },
      );
    }
    const applications: ApplicationScope = admin
      ? 'all'
      : viewer.role === 'RECRUITER' && viewer.organizationId !== null
        ? { organizationId: viewer.organizationId }
        : 'none';
    // Leaving out those who applied tells who applied: only for callers who may see applications.
    if (options.excludeApplied && applications === 'none') {
      throw new ForbiddenError(
        `options.excludeApplied is not available to the ${viewer.role} role: it would reveal who applied`,
        { argument: 'options.excludeApplied', role: viewer.role },
      );
    }
    return {
      retrieveN,
      rerankM,
      weights,
      useReranker: options.useReranker ?? this.deps.defaultUseReranker ?? false,
      region: options.region ?? null,
      excludeApplied: options.excludeApplied ?? false,
      vacancyStatus: options.vacancyStatus === undefined ? 'OPEN' : options.vacancyStatus,
      fairness: {
        attribute: options.fairness?.attribute ?? 'gender',
        minGroupShare: share,
        group,
      },
      applications,
      privateFairness: !admin,
    };
  }

  /**
   * The subject's query vector. A model that embeds queries and passages alike (no prefixes or
   * instructions, e.g. all-minilm-l6-v2) has already embedded the subject's text as a passage:
   * its stored vector is used, so a ranking runs no model at all before the cross-encoder.
   * Otherwise (or while the stored vector is missing) the text is embedded as a query.
   */
  private async queryVector(
    stored: Float32Array | null,
    text: string,
    skipped: string[],
  ): Promise<Float32Array | null> {
    const info = this.deps.embedder?.info;
    if (info && info.queryPrefix === info.passagePrefix && stored && stored.length === info.dimension) {
      return stored;
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
    target: RankedKind,
    vector: Float32Array | null,
    n: number,
    skipped: string[],
  ): Promise<string[]> {
    if (!vector) return [];
    if (this.deps.embeddings && !this.deps.embeddings.isComplete(target)) {
      skipped.push(`vector retrieval: ${target} embeddings are still being computed (graph recall only)`);
      return [];
    }
    return this.deps.repository.nearest(target, vector, n);
  }

  /** Cross-encoder over the top M (scores cached per subject, item, model and text); re-sorts them. */
  private async rerank<S extends Subject>(
    side: RankingSide<S>,
    scored: Scored[],
    subject: S,
    params: RankingParams,
    skipped: string[],
  ): Promise<number> {
    const reranker = this.deps.reranker;
    const m = Math.min(params.rerankM, scored.length);
    if (!params.useReranker || m === 0) {
      if (!params.useReranker) skipped.push('cross-encoder: turned off by the request');
      return 0;
    }
    if (!reranker) {
      skipped.push('cross-encoder: no reranker model loaded');
      return 0;
    }
    const waiting = reranker.pending();
    const maxWaiting = this.deps.rerankerMaxWaiting ?? Number.POSITIVE_INFINITY;
    if (waiting >= maxWaiting) {
      // Refused, never ranked without the stage: the same request always gets the same ranking
      // (or this error). Below the limit a ranking waits in the queue within its deadline.
      throw new OverloadedError(
        `The cross-encoder is busy (${waiting} rankings already waiting for it; RERANKER_MAX_WAITING=${maxWaiting}): retry later, or send options: { useReranker: false } for the fast ranking without it (a different ranking, cached separately)`,
        { resource: 'cross-encoder', retryAfterMs: OVERLOADED_RETRY_MS },
      );
    }
    const head = scored.slice(0, m);
    const unread = head.filter((s) => s.text === null);
    if (unread.length > 0) {
      const texts = await side.texts(unread.map((s) => s.id));
      for (const s of unread) s.text = texts.get(s.id) ?? '';
    }
    const subjectText = subject.rerankText;
    // Pairs scored before (other options, pages, an edit elsewhere) come from the reranker's
    // pair-score cache (src/inference/pairScoreCache.ts); the model runs on the others only.
    const pairs = head.map((s) => crossEncoderPair(subjectText, s.text ?? '', side.itemIsQuery));
    const scores = await reranker.score(pairs);
    head.forEach((s, i) => {
      const ce = scores[i] ?? 0;
      s.values.crossEncoder = ce;
      const fused = fuse(s.values, params.weights);
      s.score = fused.score;
      s.breakdown = fused.breakdown;
    });
    // Adding a non-negative term to the head keeps it above the tail; only the head re-orders.
    const sortedHead = [...head];
    sortScored(sortedHead);
    scored.splice(0, m, ...sortedHead);
    return m;
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
    this.escoVersion ??= await this.deps.repository.escoVersion();
    return this.escoVersion;
  }
}

function toBaseItems(list: readonly Scored[]): BaseItem[] {
  return list.map((s) => {
    let written: string | undefined;
    return {
      id: s.id,
      score: s.score,
      breakdown: s.breakdown,
      match: s.match,
      qualified: s.qualified,
      explanation: () =>
        (written ??= explain({ ...s.explainInput, crossEncoder: s.values.crossEncoder ?? null })),
    };
  });
}

function toRankedItem(item: BaseItem, rank: number, dataVersion: number): RankedItem {
  return {
    id: item.id,
    dataVersion,
    rank,
    score: item.score,
    breakdown: item.breakdown,
    match: item.match,
    explanation: item.explanation(),
  };
}

function sortScored(list: Scored[]): void {
  list.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
