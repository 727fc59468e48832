/**
 * Offline evaluation metrics: information-retrieval metrics for one query's ranking against its
 * graded judgements, their means over a run, and (re-exported from `src/ranking/fairness.ts`, one
 * implementation for the API and the tables) the group-fairness summaries. Pure functions.
 *
 * Conventions, as in trec_eval unless stated:
 * - `ranked` is best first; `judgements` maps id → graded gain. Unjudged ids and gains ≤ 0 are
 *   irrelevant; negative gains (TREC's −2 for spam) count as 0.
 * - An id repeated in `ranked` counts only at its first position; later copies are irrelevant,
 *   so a system cannot score twice for one document.
 * - `k` is a positive integer. A ranking shorter than k is not padded out of the denominator:
 *   precision@k divides by k.
 * - A query without any relevant judgement scores 0 on every metric; averages should leave such
 *   queries out, as {@link evaluateRun} does.
 */
import { dcgDiscount } from '../ranking/fairness.js';

export {
  demographicParity as demographicParityDifference,
  disparateImpact as disparateImpactRatio,
  equalOpportunity as equalOpportunityDifference,
  equalizedOdds as equalizedOddsDifference,
  exposureByGroup,
  exposureRatio,
  measureFairness,
  outcomeRatesByGroup,
  selectionRates,
} from '../ranking/fairness.js';
export type { FairnessReport, GroupValues, OptionalGroupValues } from '../ranking/fairness.js';

/** Graded gains for one query: id → gain, 0 (or absent) = irrelevant. */
export type Judgements = ReadonlyMap<string, number>;

function assertK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer ≥ 1 (got ${k})`);
}

/** Gains of the first k positions (fewer if the ranking is shorter), per the conventions above. */
function gainsAtK(ranked: readonly string[], judgements: Judgements, k: number): number[] {
  assertK(k);
  const seen = new Set<string>();
  return ranked.slice(0, k).map((id) => {
    const gain = seen.has(id) ? 0 : Math.max(0, judgements.get(id) ?? 0);
    seen.add(id);
    return gain;
  });
}

function relevantCount(judgements: Judgements): number {
  let count = 0;
  for (const gain of judgements.values()) if (gain > 0) count += 1;
  return count;
}

const hitsOf = (gains: readonly number[]): number => gains.filter((g) => g > 0).length;

/** Relevant results in the top k / k. */
export function precisionAtK(ranked: readonly string[], judgements: Judgements, k: number): number {
  return hitsOf(gainsAtK(ranked, judgements, k)) / k;
}

/** Relevant results in the top k / all relevant judgements. */
export function recallAtK(ranked: readonly string[], judgements: Judgements, k: number): number {
  const relevant = relevantCount(judgements);
  const hits = hitsOf(gainsAtK(ranked, judgements, k));
  return relevant === 0 ? 0 : hits / relevant;
}

/** Accuracy@k (Hit@k / Success@k): 1 when any of the top k is relevant, else 0. */
export function hitAtK(ranked: readonly string[], judgements: Judgements, k: number): number {
  return hitsOf(gainsAtK(ranked, judgements, k)) > 0 ? 1 : 0;
}

/** 1 / rank of the first relevant result within the top k, else 0; its mean over queries is MRR@k. */
export function reciprocalRankAtK(ranked: readonly string[], judgements: Judgements, k: number): number {
  const first = gainsAtK(ranked, judgements, k).findIndex((g) => g > 0);
  return first < 0 ? 0 : 1 / (first + 1);
}

/**
 * Average precision at k, binary relevance (gain > 0): the sum of precision@i over the ranks
 * i ≤ k holding a relevant result, divided by min(k, #relevant). Dividing by min(k, R) rather
 * than R (trec_eval's choice) lets a perfect top k score 1 when more than k results are
 * relevant; its mean over queries is MAP@k.
 */
export function averagePrecisionAtK(ranked: readonly string[], judgements: Judgements, k: number): number {
  const relevant = relevantCount(judgements);
  const gains = gainsAtK(ranked, judgements, k);
  if (relevant === 0) return 0;
  let hits = 0;
  let sum = 0;
  gains.forEach((gain, index) => {
    if (gain > 0) {
      hits += 1;
      sum += hits / (index + 1);
    }
  });
  return sum / Math.min(k, relevant);
}

function dcg(gains: readonly number[]): number {
  return gains.reduce((total, gain, index) => total + (2 ** gain - 1) * dcgDiscount(index + 1), 0);
}

/**
 * Normalised DCG at k with exponential gain 2^rel − 1 and discount 1 / log2(1 + rank) (Järvelin &
 * Kekäläinen; Burges et al.). The ideal ranking sorts all the query's judgements, retrieved or
 * not, by gain.
 */
export function ndcgAtK(ranked: readonly string[], judgements: Judgements, k: number): number {
  const gains = gainsAtK(ranked, judgements, k);
  const ideal = [...judgements.values()]
    .map((g) => Math.max(0, g))
    .sort((a, b) => b - a)
    .slice(0, k);
  const idealDcg = dcg(ideal);
  return idealDcg === 0 ? 0 : dcg(gains) / idealDcg;
}

function highestGrade(judgementSets: Iterable<Judgements>): number {
  let highest = 0;
  for (const judgements of judgementSets)
    for (const gain of judgements.values()) highest = Math.max(highest, gain);
  return highest;
}

/**
 * Expected Reciprocal Rank at k (Chapelle, Metzler, Zhang & Grinspan, CIKM 2009): a user scans
 * down and stops at rank r, satisfied, with probability R_r = (2^g_r − 1) / 2^maxGrade;
 * ERR = Σ_r (1/r) · R_r · Π_{i<r} (1 − R_i).
 *
 * `maxGrade` is the top of the grading scale. Left out, it is the query's highest judgement, which
 * makes "best available" count as perfect; pass the scale's maximum to compare across queries.
 */
export function errAtK(
  ranked: readonly string[],
  judgements: Judgements,
  k: number,
  maxGrade?: number,
): number {
  const gains = gainsAtK(ranked, judgements, k);
  const top = maxGrade ?? highestGrade([judgements]);
  if (!Number.isFinite(top) || top < 0)
    throw new RangeError(`maxGrade must be a finite number ≥ 0 (got ${top})`);
  let err = 0;
  let stillLooking = 1;
  gains.forEach((gain, index) => {
    if (gain > top) throw new RangeError(`grade ${gain} exceeds maxGrade ${top}`);
    const satisfied = (2 ** gain - 1) / 2 ** top;
    err += (stillLooking * satisfied) / (index + 1);
    stillLooking *= 1 - satisfied;
  });
  return err;
}

/** Precision at R, R = the number of relevant judgements; 0 when R = 0. */
export function rPrecision(ranked: readonly string[], judgements: Judgements): number {
  const relevant = relevantCount(judgements);
  return relevant === 0 ? 0 : precisionAtK(ranked, judgements, relevant);
}

/** Arithmetic mean; NaN for no values (an empty average is undefined, and shows as such in a table). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export interface MetricsAtK {
  readonly k: number;
  readonly precision: number;
  readonly recall: number;
  /** Accuracy@k. */
  readonly hit: number;
  /** MRR@k. */
  readonly reciprocalRank: number;
  /** MAP@k. */
  readonly averagePrecision: number;
  readonly ndcg: number;
  readonly err: number;
}

export interface RunEvaluation {
  /** Queries averaged: judged, with at least one relevant judgement. */
  readonly evaluatedQueries: number;
  /** Judged queries without any relevant judgement: left out of every mean. */
  readonly skippedQueries: number;
  /** Evaluated queries the run has no ranking for: scored as an empty ranking (0), not left out. */
  readonly missingQueries: number;
  /** Queries in the run without judgements: not scored. */
  readonly unjudgedQueries: number;
  /** Grading-scale maximum used for ERR. */
  readonly maxGrade: number;
  /** Mean R-precision (independent of k). */
  readonly rPrecision: number;
  /** Mean of each metric, one entry per distinct k, in the order given. */
  readonly byK: readonly MetricsAtK[];
}

export interface EvaluateRunOptions {
  /** Top of the grading scale for ERR; default: the highest gain in all of `qrels`. */
  readonly maxGrade?: number;
}

/**
 * Means over the judged queries of a run (query id → ranked ids), trec_eval-style against
 * `qrels` (query id → judgements). Queries are taken in id order so sums, hence float results,
 * do not depend on map insertion order. Means are NaN when no query could be evaluated.
 */
export function evaluateRun(
  run: ReadonlyMap<string, readonly string[]>,
  qrels: ReadonlyMap<string, Judgements>,
  ks: readonly number[],
  options: EvaluateRunOptions = {},
): RunEvaluation {
  const cutoffs = [...new Set(ks)];
  cutoffs.forEach(assertK);
  const maxGrade = options.maxGrade ?? highestGrade(qrels.values());

  const evaluated: Array<[readonly string[], Judgements]> = [];
  let skippedQueries = 0;
  let missingQueries = 0;
  for (const queryId of [...qrels.keys()].sort()) {
    const judgements = qrels.get(queryId) ?? new Map<string, number>();
    if (relevantCount(judgements) === 0) {
      skippedQueries += 1;
      continue;
    }
    const ranked = run.get(queryId);
    if (!ranked) missingQueries += 1;
    evaluated.push([ranked ?? [], judgements]);
  }
  const unjudgedQueries = [...run.keys()].filter((id) => !qrels.has(id)).length;
  const meanOf = (metric: (ranked: readonly string[], judgements: Judgements) => number): number =>
    mean(evaluated.map(([ranked, judgements]) => metric(ranked, judgements)));

  return {
    evaluatedQueries: evaluated.length,
    skippedQueries,
    missingQueries,
    unjudgedQueries,
    maxGrade,
    rPrecision: meanOf(rPrecision),
    byK: cutoffs.map((k) => ({
      k,
      precision: meanOf((r, j) => precisionAtK(r, j, k)),
      recall: meanOf((r, j) => recallAtK(r, j, k)),
      hit: meanOf((r, j) => hitAtK(r, j, k)),
      reciprocalRank: meanOf((r, j) => reciprocalRankAtK(r, j, k)),
      averagePrecision: meanOf((r, j) => averagePrecisionAtK(r, j, k)),
      ndcg: meanOf((r, j) => ndcgAtK(r, j, k)),
      err: meanOf((r, j) => errAtK(r, j, k, maxGrade)),
    })),
  };
}
