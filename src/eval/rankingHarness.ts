/**
 * The ranking evaluation and learned-fusion training through the real pipeline: the API's
 * `RankingService` over a Neo4j graph (with ESCO) holding a labelled dataset, with the real ONNX
 * models. Used by `scripts/eval-ranking.ts`, `scripts/train-fusion.ts` and the smoke test.
 *
 * Like `harness.ts` this module does I/O (graph, models); nothing in `src` outside `src/eval`
 * imports it. Every configuration ("row") is a `rankCandidates` call with that row's weights, so
 * the rows differ only in what the API would do with those weights; the lexical row (BM25 over
 * the same candidate and vacancy texts the models read) is the one computed here.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { prepareGraph } from '../app.js';
import type { Config } from '../config.js';
import { CypherRegistry } from '../graph/cypherRegistry.js';
import { GapRepository } from '../graph/gap/gapRepository.js';
import { RankingRepository } from '../graph/ranking/rankingRepository.js';
import { Neo4jGateway } from '../graph/gateway.js';
import {
  ensureNeo4jLauncherBuilt,
  LocalNeo4jError,
  startLocalNeo4j,
  type LocalNeo4jHandle,
} from '../graph/localNeo4j.js';
import { ConceptResolver } from '../graph/people/conceptResolver.js';
import { PeopleRepository } from '../graph/people/peopleRepository.js';
import { importPeople, type PeopleImportReport, type SourceRow } from '../import/people/importPeople.js';
import { silentProgress, type Progress } from '../import/progress.js';
import type { Embedder } from '../inference/embedder.js';
import type { Reranker } from '../inference/reranker.js';
import { DEFAULT_WEIGHTS, FEATURE_NAMES, type FeatureName, type Weights } from '../ranking/features.js';
import {
  createFusionModel,
  DEFAULT_TRAIN_OPTIONS,
  mineHardNegatives,
  outcomeMetrics,
  toFeatureVector,
  trainFusionWeights,
  trainingDataHash,
  type FeatureVector,
  type FusionModel,
  type TrainingList,
  type TrainOptions,
} from '../ranking/learnedFusion.js';
import { candidateText, vacancyText } from '../ranking/texts.js';
import { EmbeddingSync } from '../services/embeddingSync.js';
import { RankingService, type RankedItem, type RankingOptions } from '../services/rankingService.js';
import { Bm25Index } from './bm25.js';
import type { RankingDataset } from './rankingData.js';
import { aggregateFairness, scoreRun, type AggregateFairness, type RankingScores } from './rankingSummary.js';

export const EVAL_RANKING_K = 100;

// ---- the evaluation graph ------------------------------------------------------------------

export interface EvalGraph {
  readonly gateway: Neo4jGateway;
  readonly local: LocalNeo4jHandle | undefined;
  readonly store: string | undefined;
  close(): Promise<void>;
}

/**
 * Starts the evaluation's own local Neo4j (its own port and store, never the service's) and
 * prepares it: schema, and ESCO imported on first use (about 20 s, plus label nodes).
 */
export async function openEvalGraph(
  config: Config,
  options: { port: number; store: string; log: Logger; progress?: Progress },
): Promise<EvalGraph> {
  await ensureNeo4jLauncherBuilt((m) => options.log.info(m));
  let local: LocalNeo4jHandle | undefined;
  try {
    local = await startLocalNeo4j({
      boltPort: options.port,
      dataDir: options.store,
      heapMb: 1024,
      pageCacheMb: 512,
      readyTimeoutMs: 300_000,
      log: (m) => options.log.info(m),
    });
  } catch (error) {
    // `npm run eval` starts the evaluation instance once and every script shares it.
    if (!(error instanceof LocalNeo4jError) || error.reason !== 'PORT_IN_USE') throw error;
    options.log.warn(
      { port: options.port },
      'a Neo4j already listens on the evaluation port: using it (not stopped here)',
    );
  }
  const uri = local?.uri ?? `bolt://127.0.0.1:${options.port}`;
  const gateway = new Neo4jGateway({
    uri,
    database: 'neo4j',
    txTimeoutMs: 600_000,
    registry: CypherRegistry.load(),
  });
  try {
    await gateway.verifyConnectivity();
    // No demo autoload: the evaluation loads its own labelled dataset.
    await prepareGraph(
      gateway,
      { ...config, demo: { ...config.demo, autoLoad: false } },
      options.log,
      options.progress ?? silentProgress,
    );
  } catch (error) {
    await gateway.close();
    await local?.stop();
    throw error;
  }
  return {
    gateway,
    local,
    store: options.store,
    close: async () => {
      await gateway.close();
      await local?.stop();
    },
  };
}

async function* rowsOf(dataset: RankingDataset): AsyncIterable<SourceRow> {
  let line = 0;
  for (const record of dataset.records) {
    line += 1;
    yield { origin: 'dataset', line, value: record };
  }
  await Promise.resolve();
}

/** A hash of the people records (what the graph must hold), to skip reloading an unchanged dataset. */
export function datasetFingerprint(dataset: RankingDataset, embedderSha: string): string {
  const hash = crypto.createHash('sha256').update(`${embedderSha}\n`);
  for (const r of dataset.records) hash.update(`${JSON.stringify(r)}\n`);
  return hash.digest('hex');
}

/**
 * Replaces the people in the graph with the dataset's (ESCO stays), then embeds candidates and
 * vacancies (through the on-disk embedding cache). With `store`, a fingerprint file there lets an
 * unchanged dataset skip the reload.
 */
export async function loadDataset(
  gateway: Neo4jGateway,
  dataset: RankingDataset,
  embedder: Embedder,
  log: Logger,
  options: { store?: string; progress?: Progress } = {},
): Promise<{ report: PeopleImportReport | null; reused: boolean }> {
  const fingerprint = datasetFingerprint(dataset, embedder.info.sha256);
  const stamp = options.store ? path.join(options.store, 'talentgraph-eval-dataset.sha256') : undefined;
  if (stamp && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === fingerprint)
    return { report: null, reused: true };
  if (stamp) fs.rmSync(stamp, { force: true });
  await gateway.runAutoCommit('eval/wipe-people');
  const report = await importPeople(
    gateway,
    new PeopleRepository(gateway),
    new ConceptResolver(gateway),
    rowsOf(dataset),
    {
      batchSize: 1000,
      ...(options.progress ? { progress: options.progress } : {}),
    },
  );
  const sync = new EmbeddingSync(gateway, embedder, log, {
    batchSize: 128,
    pollMs: 1000,
    ...(options.progress ? { progress: options.progress } : {}),
  });
  await sync.prepare();
  await sync.runOnce(['candidate', 'vacancy']);
  if (stamp) fs.writeFileSync(stamp, `${fingerprint}\n`);
  return { report, reused: false };
}

export function createEvalRankingService(
  gateway: Neo4jGateway,
  embedder: Embedder | null,
  reranker: Reranker | null,
  minGroupSize: number,
): RankingService {
  // embeddings: null — every node is embedded before ranking starts, so no stage is skipped.
  return new RankingService({
    repository: new RankingRepository(gateway, new GapRepository(gateway)),
    embedder,
    reranker,
    embeddings: null,
    minGroupSize,
    cacheTtlMs: 3_600_000,
  });
}

// ---- configurations ---------------------------------------------------------------------------

export interface RowSpec {
  readonly key: string;
  readonly name: string;
  /** null: the lexical baseline (BM25), computed here rather than by the service. */
  readonly weights: Weights | null;
  readonly useReranker: boolean;
  /** A minimum-group-share constraint on the top 10 (the service's `fairness` option). */
  readonly constraint?: { readonly group: string; readonly minShare: number };
}

const only = (names: readonly FeatureName[], base: Weights = DEFAULT_WEIGHTS): Weights =>
  Object.fromEntries(FEATURE_NAMES.map((n) => [n, names.includes(n) ? base[n] : 0])) as Weights;

/** The ablation ladder: each row adds one stage of the pipeline to the previous one. */
export function ablationRows(): RowSpec[] {
  return [
    {
      key: 'lexical',
      name: 'Lexical only: BM25 over the candidate texts',
      weights: null,
      useReranker: false,
    },
    {
      key: 'embedding',
      name: 'Raw embedding only (cosine, bi-encoder)',
      weights: only(['embeddingCosine'], { ...DEFAULT_WEIGHTS, embeddingCosine: 1 }),
      useReranker: false,
    },
    {
      key: 'skills',
      name: '+ skill-graph features (coverage with specificity and partial credit, ISCO occupation closeness, region)',
      weights: only([
        'embeddingCosine',
        'essentialCoverage',
        'optionalCoverage',
        'occupationMatch',
        'regionMatch',
      ]),
      useReranker: false,
    },
    {
      key: 'ideal',
      name: '+ ideal-profile similarity (ESCO-built profile; the API default)',
      weights: only(FEATURE_NAMES.filter((n) => n !== 'crossEncoder')),
      useReranker: false,
    },
    {
      key: 'cross',
      name: '+ cross-encoder on the top 30 (hand-set weights; useReranker: true)',
      weights: DEFAULT_WEIGHTS,
      useReranker: true,
    },
  ];
}

// ---- running rows -----------------------------------------------------------------------------

export interface StageTimings {
  retrieve: number;
  features: number;
  rerank: number;
  total: number;
  calls: number;
}

async function rankTop(
  service: RankingService,
  vacancyId: string,
  spec: RowSpec,
  k: number,
  timings: StageTimings,
): Promise<string[]> {
  const options: RankingOptions = {
    weights: spec.weights,
    useReranker: spec.useReranker,
    fairness: spec.constraint
      ? { attribute: 'gender', group: spec.constraint.group, minGroupShare: spec.constraint.minShare }
      : { attribute: 'gender' },
  };
  const result = await service.rankCandidates(vacancyId, k, null, options);
  timings.retrieve += result.meta.timingsMs.retrieve;
  timings.features += result.meta.timingsMs.features;
  timings.rerank += result.meta.timingsMs.rerank;
  timings.total += result.meta.timingsMs.total;
  timings.calls += 1;
  return result.items.map((i) => i.id);
}

export interface RowResult {
  readonly spec: RowSpec;
  readonly run: Map<string, string[]>;
  readonly scores: RankingScores;
  readonly fairness: AggregateFairness;
  readonly timings: StageTimings;
  readonly seconds: number;
}

export interface EvalContext {
  readonly service: RankingService;
  readonly gateway: Neo4jGateway;
  readonly dataset: RankingDataset;
  readonly vacancies: readonly string[];
  /** Grade at or above which a judged candidate counts as qualified (equal opportunity). */
  readonly qualifiedGrade: number;
  readonly maxGrade: number;
  readonly log: (message: string) => void;
}

/** The texts the models read, for the lexical baseline: candidates' and the vacancies'. */
export async function lexicalIndex(
  gateway: Neo4jGateway,
  candidateIds: readonly string[],
): Promise<Bm25Index> {
  const docs: Array<{ id: string; text: string }> = [];
  for (let i = 0; i < candidateIds.length; i += 1000) {
    const rows = await gateway.read('ranking/candidate-texts', { ids: candidateIds.slice(i, i + 1000) });
    for (const r of rows) {
      docs.push({
        id: String(r.id),
        text: candidateText({
          summary: typeof r.summary === 'string' ? r.summary : null,
          skills: (r.skillLabels as unknown[]).map(String),
          occupations: (r.occupationLabels as unknown[]).map(String),
        }),
      });
    }
  }
  return new Bm25Index(docs);
}

export async function vacancyTexts(
  gateway: Neo4jGateway,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const r of await gateway.read('ranking/vacancy-context', { ids: ids.slice(i, i + 500) })) {
      out.set(
        String(r.id),
        vacancyText({
          title: typeof r.title === 'string' ? r.title : null,
          description: typeof r.description === 'string' ? r.description : null,
          skills: (r.skillLabels as unknown[]).map(String),
        }),
      );
    }
  }
  return out;
}

export function qrelsOf(
  dataset: RankingDataset,
  vacancies: readonly string[],
): Map<string, Map<string, number>> {
  return new Map(vacancies.map((v) => [v, dataset.judgements.get(v) ?? new Map<string, number>()]));
}

function summarizeRow(
  ctx: EvalContext,
  spec: RowSpec,
  run: Map<string, string[]>,
  timings: StageTimings,
  seconds: number,
): RowResult {
  const qrels = qrelsOf(ctx.dataset, ctx.vacancies);
  const groupOf = (id: string) => ctx.dataset.groups.get(id) ?? null;
  const qualifiedOf = (v: string, c: string) => {
    const grade = ctx.dataset.judgements.get(v)?.get(c);
    return grade === undefined ? null : grade >= ctx.qualifiedGrade;
  };
  return {
    spec,
    run,
    scores: scoreRun(run, qrels, ctx.maxGrade),
    fairness: aggregateFairness(run, groupOf, qualifiedOf, 10),
    timings,
    seconds,
  };
}

/** Ranks every vacancy with one configuration; `base` (a top-100 run) completes constrained top-10 lists. */
export async function runRow(
  ctx: EvalContext,
  spec: RowSpec,
  extra: { lexical?: { index: Bm25Index; texts: Map<string, string> }; base?: Map<string, string[]> } = {},
): Promise<RowResult> {
  const started = performance.now();
  const timings: StageTimings = { retrieve: 0, features: 0, rerank: 0, total: 0, calls: 0 };
  const run = new Map<string, string[]>();
  for (const vacancyId of ctx.vacancies) {
    if (spec.weights === null) {
      if (!extra.lexical) throw new Error('the lexical row needs its index');
      const t = performance.now();
      run.set(
        vacancyId,
        extra.lexical.index.search(extra.lexical.texts.get(vacancyId) ?? '', EVAL_RANKING_K).map((h) => h.id),
      );
      timings.total += performance.now() - t;
      timings.calls += 1;
    } else if (spec.constraint) {
      // The constraint acts on the top 10; the slate below it is the unconstrained row's.
      const top = await rankTop(ctx.service, vacancyId, spec, 10, timings);
      const rest = (extra.base?.get(vacancyId) ?? []).filter((id) => !top.includes(id));
      run.set(vacancyId, [...top, ...rest].slice(0, EVAL_RANKING_K));
    } else {
      run.set(vacancyId, await rankTop(ctx.service, vacancyId, spec, EVAL_RANKING_K, timings));
    }
  }
  const seconds = (performance.now() - started) / 1000;
  ctx.log(`${spec.name}: ${ctx.vacancies.length} vacancies in ${seconds.toFixed(1)} s`);
  return summarizeRow(ctx, spec, run, timings, seconds);
}

// ---- training data for learned fusion ----------------------------------------------------------

export interface TrainingCollection {
  /** One list per vacancy with a hire in the top `depth` (for each label set). */
  readonly lists: TrainingList[];
  readonly vacanciesWithHire: number;
  /** Hires ranked below `depth` (or not retrieved): their features were not available. */
  readonly hiresOutOfReach: number;
  readonly rejected: number;
  readonly hardNegatives: number;
}

export interface RankedFeatures {
  readonly vacancyId: string;
  readonly poolSize: number;
  /** Best first, with the feature vector the service fused. */
  readonly items: ReadonlyArray<{ readonly id: string; readonly features: FeatureVector }>;
}

const vectorOf = (item: RankedItem): FeatureVector =>
  toFeatureVector(Object.fromEntries(item.breakdown.map((b) => [b.name, b.value])));

/**
 * The current ranking (hand-set weights, as served, with the cross-encoder) of each vacancy: the
 * top `depth` items (≤ 200, the head the service keeps cached) with their feature vectors.
 */
export async function rankedFeatures(
  service: RankingService,
  vacancyIds: readonly string[],
  depth = 200,
  log?: (m: string) => void,
): Promise<RankedFeatures[]> {
  const out: RankedFeatures[] = [];
  const started = performance.now();
  for (const [index, vacancyId] of vacancyIds.entries()) {
    const items: RankedItem[] = [];
    let after: string | null = null;
    let poolSize = 0;
    while (items.length < depth) {
      const page = await service.rankCandidates(vacancyId, Math.min(100, depth - items.length), after, {
        weights: DEFAULT_WEIGHTS,
        useReranker: true,
      });
      items.push(...page.items);
      poolSize = page.totalCount;
      if (page.items.length === 0 || items.length >= page.totalCount) break;
      after = page.cursorAt(items.length - 1);
    }
    out.push({ vacancyId, poolSize, items: items.map((i) => ({ id: i.id, features: vectorOf(i) })) });
    if (log && (index + 1) % 50 === 0)
      log(
        `training features: ${index + 1}/${vacancyIds.length} vacancies (${((performance.now() - started) / 1000).toFixed(0)} s)`,
      );
  }
  return out;
}

/**
 * Training lists from outcomes: per vacancy with a HIRED applicant in reach, the hire (gain 1)
 * against its REJECTED applicants in reach and hard negatives from the runner-up band of the
 * current ranking (non-applicants only) (gain 0).
 */
export function buildTrainingLists(
  ranked: readonly RankedFeatures[],
  outcomes: ReadonlyMap<string, ReadonlyMap<string, string>>,
  options: { band: readonly [number, number]; maxHardNegatives: number },
): TrainingCollection {
  const lists: TrainingList[] = [];
  let vacanciesWithHire = 0;
  let hiresOutOfReach = 0;
  let rejected = 0;
  let hardNegatives = 0;
  for (const r of ranked) {
    const statuses = outcomes.get(r.vacancyId);
    if (!statuses) continue;
    const hired = [...statuses].filter(([, s]) => s === 'HIRED').map(([id]) => id);
    if (hired.length === 0) continue;
    vacanciesWithHire += 1;
    const byId = new Map(r.items.map((i) => [i.id, i.features]));
    const positives = hired.filter((id) => byId.has(id));
    hiresOutOfReach += hired.length - positives.length;
    if (positives.length === 0) continue;
    const negatives = [...statuses].filter(([id, s]) => s === 'REJECTED' && byId.has(id)).map(([id]) => id);
    const hard = mineHardNegatives(
      r.items.map((i) => i.id),
      new Set(statuses.keys()),
      { band: options.band, max: options.maxHardNegatives, poolSize: r.poolSize },
    );
    rejected += negatives.length;
    hardNegatives += hard.length;
    lists.push({
      queryId: r.vacancyId,
      items: [
        ...positives.map((id) => ({ features: byId.get(id)!, gain: 1 })),
        ...[...negatives, ...hard].map((id) => ({ features: byId.get(id)!, gain: 0 })),
      ],
    });
  }
  return { lists, vacanciesWithHire, hiresOutOfReach, rejected, hardNegatives };
}

/** Final outcomes (HIRED / REJECTED) recorded in the graph: a deployment's own training labels. */
export async function outcomesFromGraph(gateway: Neo4jGateway): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  for (const r of await gateway.read('ranking/outcome-applications')) {
    const v = String(r.vacancyId);
    let m = out.get(v);
    if (!m) out.set(v, (m = new Map<string, string>()));
    m.set(String(r.candidateId), String(r.status));
  }
  return out;
}

// ---- fitting a model -----------------------------------------------------------------------------

export interface FitResult {
  readonly model: FusionModel;
  readonly train: TrainingCollection;
  readonly validation: TrainingCollection;
  /** Outcome metrics on the validation vacancies (hire vs its rejected applicants). */
  readonly handSet: ReturnType<typeof outcomeMetrics>;
  readonly learned: ReturnType<typeof outcomeMetrics>;
}

/**
 * Splits ranked vacancies by `isValidation`, fits weights on the training side (hire vs rejected
 * applicants and hard negatives) and measures, on the validation side, how the hire ranks among
 * its vacancy's rejected applicants under the hand-set and the learned weights.
 */
export function fitFusionModel(
  ranked: readonly RankedFeatures[],
  outcomes: ReadonlyMap<string, ReadonlyMap<string, string>>,
  options: {
    readonly isValidation: (vacancyId: string) => boolean;
    readonly band: readonly [number, number];
    readonly maxHardNegatives: number;
    readonly source: string;
    readonly createdAt: string;
    readonly train?: TrainOptions;
  },
): FitResult {
  const train = buildTrainingLists(
    ranked.filter((r) => !options.isValidation(r.vacancyId)),
    outcomes,
    options,
  );
  const validation = buildTrainingLists(
    ranked.filter((r) => options.isValidation(r.vacancyId)),
    outcomes,
    { band: options.band, maxHardNegatives: 0 },
  );
  const trainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options.train };
  const fitted = trainFusionWeights(train.lists, trainOptions);
  const handSet = outcomeMetrics(validation.lists, DEFAULT_WEIGHTS);
  const learned = outcomeMetrics(validation.lists, fitted.weights);
  const trainMetrics = {
    handSet: outcomeMetrics(train.lists, DEFAULT_WEIGHTS),
    learned: outcomeMetrics(train.lists, fitted.weights),
  };
  const model = createFusionModel({
    weights: fitted.weights,
    dataHash: trainingDataHash(train.lists),
    createdAt: options.createdAt,
    training: {
      source: options.source,
      loss: 'pairwise logistic, each pair weighted by |ΔnDCG| of swapping it (LambdaRank); L2 towards the hand-set weights; weights ≥ 0',
      trainVacancies: train.lists.length,
      validationVacancies: validation.lists.length,
      pairs: fitted.pairs,
      hardNegativeBand: [options.band[0], options.band[1]],
      options: { ...trainOptions, maxHardNegatives: options.maxHardNegatives },
      hiresOutOfReach: train.hiresOutOfReach,
      finalLoss: fitted.lossByEpoch.at(-1) ?? null,
    },
    metrics: {
      validation: {
        handSet: {
          hireMrr: nullIfNaN(handSet.mrr),
          pairwiseAccuracy: nullIfNaN(handSet.pairwiseAccuracy),
          vacancies: handSet.lists,
          pairs: handSet.pairs,
        },
        learned: {
          hireMrr: nullIfNaN(learned.mrr),
          pairwiseAccuracy: nullIfNaN(learned.pairwiseAccuracy),
          vacancies: learned.lists,
          pairs: learned.pairs,
        },
      },
      train: {
        handSet: {
          hireMrr: nullIfNaN(trainMetrics.handSet.mrr),
          pairwiseAccuracy: nullIfNaN(trainMetrics.handSet.pairwiseAccuracy),
        },
        learned: {
          hireMrr: nullIfNaN(trainMetrics.learned.mrr),
          pairwiseAccuracy: nullIfNaN(trainMetrics.learned.pairwiseAccuracy),
        },
      },
    },
  });
  return { model, train, validation, handSet, learned };
}

const nullIfNaN = (x: number): number | null => (Number.isNaN(x) ? null : x);
