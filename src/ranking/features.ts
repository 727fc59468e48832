/**
 * Stage-2 ranking features for one (vacancy, candidate) pair and their weighted fusion.
 * Pure functions: the ranking service gathers inputs from the graph and the models.
 *
 * No feature reads a sensitive attribute: the feature input type has no field for one, and a
 * unit test checks that the feature names stay within the list below.
 */

export const FEATURE_NAMES = [
  'essentialCoverage',
  'optionalCoverage',
  'occupationMatch',
  'embeddingCosine',
  'idealProfileCosine',
  'regionMatch',
  'outcomeHistory',
  'crossEncoder',
] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];
export type Weights = Readonly<Record<FeatureName, number>>;

/**
 * Hand-set defaults, chosen so that skills dominate (essential coverage with partial credit and
 * specificity), occupation history and the two text similarities refine, and the cross-encoder
 * re-orders the head of the list. Outcome history is off by default: it would feed past
 * decisions (and their biases) back into the ranking; a deployment may turn it on knowingly.
 */
export const DEFAULT_WEIGHTS: Weights = {
  essentialCoverage: 0.35,
  optionalCoverage: 0.08,
  occupationMatch: 0.15,
  embeddingCosine: 0.15,
  idealProfileCosine: 0.12,
  regionMatch: 0.05,
  outcomeHistory: 0,
  crossEncoder: 0.1,
};

export interface FeatureValue {
  readonly name: FeatureName;
  /** The feature's raw value, or null when its stage did not run for this item. */
  readonly value: number | null;
  readonly weight: number;
  readonly contribution: number;
}

export type OccupationLevel =
  | 'same occupation'
  | 'same unit group'
  | 'same minor group'
  | 'same sub-major group'
  | 'same major group'
  | 'none';

export interface OccupationRef {
  readonly uri: string;
  /** ISCO unit group code (4 digits). */
  readonly iscoGroup: string | null;
  readonly label?: string;
}

export const OCCUPATION_LEVEL_SCORE: Readonly<Record<OccupationLevel, number>> = {
  'same occupation': 1,
  'same unit group': 0.75,
  'same minor group': 0.5,
  'same sub-major group': 0.25,
  'same major group': 0.1,
  none: 0,
};

/** Closeness of two occupations through ESCO identity and the ISCO-08 hierarchy. */
export function occupationLevel(target: OccupationRef, other: OccupationRef): OccupationLevel {
  if (target.uri === other.uri) return 'same occupation';
  const a = target.iscoGroup ?? '';
  const b = other.iscoGroup ?? '';
  if (a.length < 1 || b.length < 1) return 'none';
  if (a.length >= 4 && a.slice(0, 4) === b.slice(0, 4)) return 'same unit group';
  if (a.slice(0, 3) === b.slice(0, 3) && a.length >= 3) return 'same minor group';
  if (a.slice(0, 2) === b.slice(0, 2) && a.length >= 2) return 'same sub-major group';
  if (a[0] === b[0]) return 'same major group';
  return 'none';
}

/** The best match between a target occupation and any of a person's occupations. */
export function bestOccupationMatch(
  target: OccupationRef | null,
  held: readonly OccupationRef[],
): { score: number; level: OccupationLevel; occupation: OccupationRef | null } {
  let best = { score: 0, level: 'none' as OccupationLevel, occupation: null as OccupationRef | null };
  if (!target) return best;
  for (const o of held) {
    const level = occupationLevel(target, o);
    const score = OCCUPATION_LEVEL_SCORE[level];
    if (score > best.score || (score === best.score && best.occupation && o.uri < best.occupation.uri)) {
      best = { score, level, occupation: o };
    }
  }
  return best;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** Laplace-smoothed share of past applications that reached interview or hire (0.5 with no history). */
export function outcomeHistory(progressed: number, total: number): number {
  return (progressed + 1) / (total + 2);
}

/**
 * Largest sum of the merged weights. Weights are relative (only their ratios order a list), and
 * every feature value lies in [-1, 1], so a score is at most the sum of the weights; the cap keeps
 * every score, and every sum of up to a few hundred scores (the fairness constraint's score loss),
 * finite — a sum that overflows to Infinity would reach the client as a serialisation failure.
 */
export const MAX_WEIGHT_SUM = 1e6;

/**
 * Validates weight overrides (finite, ≥ 0, summing with the rest to at most {@link MAX_WEIGHT_SUM})
 * and merges them over `base`: the hand-set defaults, or the weights of a learned fusion model when
 * the service loaded one (`src/ranking/learnedFusion.ts`). Throws a RangeError naming the problem.
 */
export function mergeWeights(
  overrides: Partial<Record<FeatureName, number | null | undefined>> | null | undefined,
  base: Weights = DEFAULT_WEIGHTS,
): Weights {
  const merged: Record<FeatureName, number> = { ...base };
  for (const name of FEATURE_NAMES) {
    const v = overrides?.[name];
    if (v === null || v === undefined) continue;
    if (!Number.isFinite(v) || v < 0)
      throw new RangeError(`weight ${name} must be a finite number ≥ 0 (got ${v})`);
    merged[name] = v;
  }
  const sum = FEATURE_NAMES.reduce((total, name) => total + merged[name], 0);
  if (!(sum <= MAX_WEIGHT_SUM))
    throw new RangeError(`the weights must sum to at most ${MAX_WEIGHT_SUM} (got ${sum})`);
  return merged;
}

/** Weighted sum of the features that have a value; absent features contribute nothing. */
export function fuse(
  values: Readonly<Partial<Record<FeatureName, number | null>>>,
  weights: Weights,
): { score: number; breakdown: FeatureValue[] } {
  let score = 0;
  const breakdown: FeatureValue[] = [];
  for (const name of FEATURE_NAMES) {
    const value = values[name] ?? null;
    const weight = weights[name];
    const contribution = value === null ? 0 : value * weight;
    score += contribution;
    breakdown.push({ name, value, weight, contribution });
  }
  return { score, breakdown };
}
