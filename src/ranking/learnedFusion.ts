/**
 * Learned fusion: the stage-2 weights fitted to a deployment's own outcomes (HIRED vs REJECTED
 * applications), kept as a versioned JSON artifact that the API can load instead of the hand-set
 * weights (`FUSION_MODEL`). Pure functions: collecting the examples (through the ranking pipeline)
 * and reading or writing files happen elsewhere.
 *
 * The model is deliberately the same linear fusion the API already explains (score = Σ weight ·
 * feature, weights ≥ 0), so a learned model changes numbers, not the contract: every item keeps
 * its per-feature breakdown, and a request can still override any weight.
 *
 * Training: a pairwise logistic loss over (hired, negative) pairs of one vacancy, each pair weighted
 * by |ΔnDCG| of swapping the two in the current model's ordering of the vacancy's list (the
 * LambdaRank weighting, Burges 2010), so mistakes near the top cost most. Negatives are the
 * rejected applicants plus hard negatives mined from the runner-up band of the current ranking
 * (see {@link hardNegativeRanks}). L2 pulls the weights towards the hand-set ones, so a small
 * deployment moves only as far as its outcomes justify.
 *
 * Sensitive attributes cannot enter: a feature vector is built only from {@link FEATURE_NAMES}
 * ({@link toFeatureVector} copies those keys and nothing else), and an artifact with any other
 * feature name is refused by {@link parseFusionModel}.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_WEIGHTS, FEATURE_NAMES, type FeatureName, type Weights } from './features.js';

export const FUSION_FORMAT = 'talentgraph-fusion';
/** Version of the artifact format (not of a model: that is `name`). */
export const FUSION_FORMAT_VERSION = 1;

/**
 * Features a model may weight: all but `outcomeHistory`, which counts the very outcomes being
 * learned (label leakage) and would feed past decisions, and their biases, back into rankings.
 */
export const LEARNED_FEATURES: readonly FeatureName[] = FEATURE_NAMES.filter((n) => n !== 'outcomeHistory');

/**
 * One item's stage-2 values by feature name: exactly the keys of {@link FEATURE_NAMES}. `null`
 * means the stage did not run for the item (the cross-encoder outside the head, an occupation
 * match for a vacancy without occupation); it contributes nothing to a score.
 */
export type FeatureVector = Readonly<Record<FeatureName, number | null>>;

/** What the feature builder reads: stage-2 values by feature name. No other field is read. */
export type FeatureValues = Readonly<Partial<Record<FeatureName, number | null | undefined>>>;

/**
 * The closed feature vector of an item. Only the names in {@link FEATURE_NAMES} are copied, so an
 * object carrying anything else (a gender, an age band, an id) yields the same vector as without it.
 */
export function toFeatureVector(values: FeatureValues): FeatureVector {
  const vector = {} as Record<FeatureName, number | null>;
  for (const name of FEATURE_NAMES) {
    const value = values[name];
    vector[name] = typeof value === 'number' && Number.isFinite(value) ? value : null;
  }
  return vector;
}

/** Σ weight · value over present features: the API's fused score (`fuse` in features.ts). */
export function scoreVector(vector: FeatureVector, weights: Weights): number {
  let score = 0;
  for (const name of FEATURE_NAMES) score += (vector[name] ?? 0) * weights[name];
  return score;
}

/**
 * 1-based ranks [from, to] of the "runner-up" band of a ranking of `poolSize` items: between the
 * `band[0]` and `band[1]` quantiles (default the top 3–4 %), never above `minRank`. Items there look
 * good to the current model without being its very top (where unlabelled items are most likely
 * to be good candidates who never applied, i.e. false negatives). Empty (from > to) for tiny pools.
 */
export function hardNegativeRanks(
  poolSize: number,
  band: readonly [number, number] = [0.03, 0.04],
  minRank = 11,
): { from: number; to: number } {
  const [low, high] = band;
  if (!(low >= 0 && high >= low && high <= 1))
    throw new RangeError(`band must satisfy 0 ≤ low ≤ high ≤ 1 (got ${low}, ${high})`);
  const from = Math.max(minRank, Math.floor(low * poolSize) + 1);
  const to = Math.min(poolSize, Math.max(from, Math.ceil(high * poolSize)));
  return { from, to };
}

/** Ids of the band (see {@link hardNegativeRanks}) not in `exclude` (e.g. the vacancy's applicants), at most `max`, best first. */
export function mineHardNegatives(
  ranked: readonly string[],
  exclude: ReadonlySet<string>,
  options: { band?: readonly [number, number]; minRank?: number; max?: number; poolSize?: number } = {},
): string[] {
  const { from, to } = hardNegativeRanks(options.poolSize ?? ranked.length, options.band, options.minRank);
  return ranked
    .slice(from - 1, to)
    .filter((id) => !exclude.has(id))
    .slice(0, options.max ?? Number.POSITIVE_INFINITY);
}

export interface TrainingItem {
  readonly features: FeatureVector;
  /** 1 for the hired applicant, 0 for a rejected applicant or a hard negative. */
  readonly gain: number;
}

/** The labelled items of one vacancy. */
export interface TrainingList {
  readonly queryId: string;
  readonly items: readonly TrainingItem[];
}

export interface TrainOptions {
  /** Starting point and L2 anchor (default: the hand-set weights). */
  readonly init?: Weights;
  readonly epochs?: number;
  readonly learningRate?: number;
  /** Strength of the pull towards `init`. */
  readonly l2?: number;
  /** Steepness of the pairwise logistic. */
  readonly sigma?: number;
}

export const DEFAULT_TRAIN_OPTIONS = { epochs: 300, learningRate: 0.01, l2: 0.05, sigma: 10 } as const;

const discount = (rank: number) => 1 / Math.log2(1 + rank);

/** Positions (1-based) of a list's items under `weights`, ties broken by input order. */
function positions(items: readonly TrainingItem[], weights: Weights): number[] {
  const order = items
    .map((item, index) => ({ index, score: scoreVector(item.features, weights) }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
  const rank = new Array<number>(items.length);
  order.forEach((o, position) => (rank[o.index] = position + 1));
  return rank;
}

function idealDcg(items: readonly TrainingItem[]): number {
  return [...items]
    .map((i) => i.gain)
    .sort((a, b) => b - a)
    .reduce((sum, gain, index) => sum + (2 ** gain - 1) * discount(index + 1), 0);
}

/** Features both items have: the cross-encoder is compared only within the head, where it ran. */
function pairDifference(a: FeatureVector, b: FeatureVector): Record<FeatureName, number> {
  const diff = {} as Record<FeatureName, number>;
  for (const name of FEATURE_NAMES) {
    const x = a[name];
    const y = b[name];
    diff[name] = x === null || y === null ? 0 : x - y;
  }
  return diff;
}

export interface TrainResult {
  readonly weights: Weights;
  /** ΔnDCG-weighted pairwise loss per epoch (the first is at `init`). */
  readonly lossByEpoch: readonly number[];
  readonly pairs: number;
  readonly lists: number;
}

/**
 * Fits non-negative weights of {@link LEARNED_FEATURES} (the others stay 0) by full-batch Adam on
 * the ΔnDCG-weighted pairwise logistic loss plus l2 · ‖w − init‖². Deterministic. The result is
 * rescaled to sum to 1, like the hand-set weights (a ranking does not depend on the scale).
 */
export function trainFusionWeights(lists: readonly TrainingList[], options: TrainOptions = {}): TrainResult {
  const init = options.init ?? DEFAULT_WEIGHTS;
  const epochs = options.epochs ?? DEFAULT_TRAIN_OPTIONS.epochs;
  const lr = options.learningRate ?? DEFAULT_TRAIN_OPTIONS.learningRate;
  const l2 = options.l2 ?? DEFAULT_TRAIN_OPTIONS.l2;
  const sigma = options.sigma ?? DEFAULT_TRAIN_OPTIONS.sigma;
  const learnable = new Set<FeatureName>(LEARNED_FEATURES);
  const w: Record<FeatureName, number> = { ...init };
  for (const name of FEATURE_NAMES) if (!learnable.has(name)) w[name] = 0;
  const anchor = { ...w };

  // Pairs are fixed; their ΔnDCG weights follow the current ordering (recomputed each epoch).
  const prepared = lists
    .map((list) => {
      const pairs: Array<{ i: number; j: number; diff: Record<FeatureName, number> }> = [];
      list.items.forEach((a, i) =>
        list.items.forEach((b, j) => {
          if (a.gain > b.gain) pairs.push({ i, j, diff: pairDifference(a.features, b.features) });
        }),
      );
      return { list, pairs, idcg: idealDcg(list.items) };
    })
    .filter((p) => p.pairs.length > 0 && p.idcg > 0);
  const totalPairs = prepared.reduce((n, p) => n + p.pairs.length, 0);

  const m = Object.fromEntries(FEATURE_NAMES.map((n) => [n, 0])) as Record<FeatureName, number>;
  const v = { ...m };
  const beta1 = 0.9;
  const beta2 = 0.999;
  const lossByEpoch: number[] = [];

  for (let epoch = 0; epoch <= epochs; epoch += 1) {
    const grad = Object.fromEntries(FEATURE_NAMES.map((n) => [n, 0])) as Record<FeatureName, number>;
    let loss = 0;
    let weightSum = 0;
    for (const { list, pairs, idcg } of prepared) {
      const rank = positions(list.items, w);
      for (const { i, j, diff } of pairs) {
        const gi = list.items[i]!.gain;
        const gj = list.items[j]!.gain;
        const delta = Math.abs(((2 ** gi - 2 ** gj) * (discount(rank[i]!) - discount(rank[j]!))) / idcg);
        // A pair already in place at equal ranks would get weight 0 and never move: keep a floor.
        const weight = Math.max(delta, 1e-3);
        let margin = 0;
        for (const name of FEATURE_NAMES) margin += w[name] * diff[name];
        const z = sigma * margin;
        loss += weight * (z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z)));
        const rho = 1 / (1 + Math.exp(z));
        for (const name of FEATURE_NAMES) grad[name] -= weight * sigma * rho * diff[name];
        weightSum += weight;
      }
    }
    const norm = weightSum > 0 ? weightSum : 1;
    let penalty = 0;
    for (const name of FEATURE_NAMES) penalty += l2 * (w[name] - anchor[name]) ** 2;
    lossByEpoch.push(loss / norm + penalty);
    if (epoch === epochs || totalPairs === 0) break;
    for (const name of FEATURE_NAMES) {
      if (!learnable.has(name)) continue;
      const g = grad[name] / norm + 2 * l2 * (w[name] - anchor[name]);
      m[name] = beta1 * m[name] + (1 - beta1) * g;
      v[name] = beta2 * v[name] + (1 - beta2) * g * g;
      const mHat = m[name] / (1 - beta1 ** (epoch + 1));
      const vHat = v[name] / (1 - beta2 ** (epoch + 1));
      w[name] = Math.max(0, w[name] - (lr * mHat) / (Math.sqrt(vHat) + 1e-8));
    }
  }
  return { weights: normalizeWeights(w), lossByEpoch, pairs: totalPairs, lists: prepared.length };
}

/** Weights rescaled to sum to 1 (unchanged when all are 0), rounded to 6 decimals. */
export function normalizeWeights(weights: Weights): Weights {
  const sum = FEATURE_NAMES.reduce((s, n) => s + weights[n], 0);
  const out = {} as Record<FeatureName, number>;
  for (const name of FEATURE_NAMES)
    out[name] = Math.round((sum > 0 ? weights[name] / sum : weights[name]) * 1e6) / 1e6;
  return out;
}

/** Per list, the reciprocal rank of its best item under `weights`, and the share of correctly ordered pairs. */
export function outcomeMetrics(
  lists: readonly TrainingList[],
  weights: Weights,
): { mrr: number; pairwiseAccuracy: number; lists: number; pairs: number } {
  let rrSum = 0;
  let counted = 0;
  let correct = 0;
  let pairs = 0;
  for (const list of lists) {
    const top = Math.max(...list.items.map((i) => i.gain));
    if (!(top > 0) || list.items.length < 2) continue;
    const rank = positions(list.items, weights);
    rrSum +=
      1 /
      Math.min(
        ...list.items.map((item, index) => (item.gain === top ? rank[index]! : Number.POSITIVE_INFINITY)),
      );
    counted += 1;
    list.items.forEach((a, i) =>
      list.items.forEach((b, j) => {
        if (a.gain > b.gain) {
          pairs += 1;
          if (rank[i]! < rank[j]!) correct += 1;
        }
      }),
    );
  }
  return {
    mrr: counted > 0 ? rrSum / counted : Number.NaN,
    pairwiseAccuracy: pairs > 0 ? correct / pairs : Number.NaN,
    lists: counted,
    pairs,
  };
}

/** A stable hash of training lists (ids, gains, feature values to 6 decimals): what the model saw. */
export function trainingDataHash(lists: readonly TrainingList[]): string {
  const hash = createHash('sha256');
  for (const list of [...lists].sort((a, b) =>
    a.queryId < b.queryId ? -1 : a.queryId > b.queryId ? 1 : 0,
  )) {
    hash.update(`${list.queryId}\n`);
    for (const item of list.items) {
      hash.update(
        `${item.gain}|${FEATURE_NAMES.map((n) => (item.features[n] === null ? 'null' : item.features[n].toFixed(6))).join(',')}\n`,
      );
    }
  }
  return hash.digest('hex');
}

const weightsSchema = z
  .object(
    Object.fromEntries(FEATURE_NAMES.map((n) => [n, z.number().finite().min(0)])) as Record<
      FeatureName,
      z.ZodNumber
    >,
  )
  .strict();

const metricSchema = z.record(z.string(), z.union([z.number(), z.null()]));

export const FusionModelSchema = z
  .object({
    format: z.literal(FUSION_FORMAT),
    formatVersion: z.literal(FUSION_FORMAT_VERSION),
    /** `fusion-<12 hex>`: a content hash of the weights and the training data hash. */
    name: z.string().regex(/^fusion-[0-9a-f]{12}$/),
    createdAt: z.string(),
    features: z
      .array(z.enum(FEATURE_NAMES))
      .refine(
        (names) => names.length === FEATURE_NAMES.length && names.every((n, i) => n === FEATURE_NAMES[i]),
        {
          message: `features must be exactly ${FEATURE_NAMES.join(', ')}`,
        },
      ),
    weights: weightsSchema,
    training: z
      .object({
        dataHash: z.string().regex(/^[0-9a-f]{64}$/),
        source: z.string(),
        loss: z.string(),
        trainVacancies: z.number().int().min(0),
        validationVacancies: z.number().int().min(0),
        pairs: z.number().int().min(0),
        hardNegativeBand: z.tuple([z.number(), z.number()]),
        options: z.record(z.string(), z.number()),
      })
      .passthrough(),
    metrics: z.object({ validation: z.record(z.string(), metricSchema) }).passthrough(),
  })
  .strict();

export type FusionModel = z.infer<typeof FusionModelSchema>;

/** Validates an artifact (e.g. parsed JSON); throws a RangeError that says what is wrong. */
export function parseFusionModel(json: unknown): FusionModel {
  const parsed = FusionModelSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new RangeError(`not a fusion model artifact: ${issues}`);
  }
  if (parsed.data.weights.outcomeHistory !== 0)
    throw new RangeError('not a fusion model artifact: weights.outcomeHistory must be 0');
  return parsed.data;
}

/** The model's name: a hash of what determines its rankings and of the data it was fitted to. */
export function fusionModelName(weights: Weights, dataHash: string): string {
  const canonical = FEATURE_NAMES.map((n) => `${n}=${weights[n]}`).join(',');
  return `fusion-${createHash('sha256').update(`${canonical}|${dataHash}`).digest('hex').slice(0, 12)}`;
}

/** Builds an artifact from a training result (validated, so a written artifact always loads). */
export function createFusionModel(args: {
  readonly weights: Weights;
  readonly dataHash: string;
  readonly createdAt: string;
  readonly training: Omit<FusionModel['training'], 'dataHash'>;
  readonly metrics: FusionModel['metrics'];
}): FusionModel {
  return parseFusionModel({
    format: FUSION_FORMAT,
    formatVersion: FUSION_FORMAT_VERSION,
    name: fusionModelName(args.weights, args.dataHash),
    createdAt: args.createdAt,
    features: [...FEATURE_NAMES],
    weights: args.weights,
    training: { ...args.training, dataHash: args.dataHash },
    metrics: args.metrics,
  });
}
