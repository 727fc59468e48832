/**
 * Scores of one ranking configuration over many vacancies: the IR metrics of `metrics.ts` against
 * graded judgements and group-fairness figures aggregated over all vacancies. Pure.
 *
 * Fairness here is micro-averaged: each vacancy contributes its ranked list (its "slate", e.g. the
 * top 100); a group's selection rate is (its members in the top k of every slate) / (its members
 * in every slate), its exposure the mean 1 / log2(1 + rank) of its members' slots, its true
 * positive rate the share of its *qualified* members (judged relevant enough) that reach the top
 * k. Per-vacancy figures over slates of 100 would mostly measure noise. The between-group
 * summaries are the same functions as the API's fairness report (`src/ranking/fairness.ts`).
 */
import {
  demographicParity,
  disparateImpact,
  equalizedOdds,
  equalOpportunity,
  exposureRatio,
  dcgDiscount,
  UNKNOWN_GROUP,
} from '../ranking/fairness.js';
import { evaluateRun, type Judgements } from './metrics.js';

export interface GroupTotals {
  readonly group: string;
  readonly slotted: number;
  readonly selected: number;
  readonly selectionRate: number;
  readonly exposure: number;
  readonly truePositiveRate: number | null;
  readonly falsePositiveRate: number | null;
}

export interface AggregateFairness {
  readonly k: number;
  /** Groups with at least `minShare` of all slots (the unknown group never counts). */
  readonly groups: readonly GroupTotals[];
  readonly demographicParityDifference: number | null;
  readonly disparateImpactRatio: number | null;
  readonly equalOpportunityDifference: number | null;
  readonly equalizedOddsDifference: number | null;
  readonly exposureRatio: number | null;
}

/**
 * @param slates vacancy id → ranked candidate ids (best first)
 * @param groupOf a candidate's audit group, or null when not recorded
 * @param qualifiedOf true / false where known for (vacancy, candidate), null when unknown
 */
export function aggregateFairness(
  slates: ReadonlyMap<string, readonly string[]>,
  groupOf: (candidateId: string) => string | null,
  qualifiedOf: (vacancyId: string, candidateId: string) => boolean | null,
  k: number,
  minShare = 0.05,
): AggregateFairness {
  const tallies = new Map<
    string,
    { slotted: number; selected: number; exposure: number; q: number; qs: number; u: number; us: number }
  >();
  let total = 0;
  for (const [vacancyId, ranked] of slates) {
    ranked.forEach((id, index) => {
      const group = groupOf(id) ?? UNKNOWN_GROUP;
      let t = tallies.get(group);
      if (!t) tallies.set(group, (t = { slotted: 0, selected: 0, exposure: 0, q: 0, qs: 0, u: 0, us: 0 }));
      const selected = index < k;
      total += 1;
      t.slotted += 1;
      t.exposure += dcgDiscount(index + 1);
      if (selected) t.selected += 1;
      const qualified = qualifiedOf(vacancyId, id);
      if (qualified === true) {
        t.q += 1;
        if (selected) t.qs += 1;
      } else if (qualified === false) {
        t.u += 1;
        if (selected) t.us += 1;
      }
    });
  }
  const groups: GroupTotals[] = [...tallies.entries()]
    .filter(([group, t]) => group !== UNKNOWN_GROUP && total > 0 && t.slotted / total >= minShare)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([group, t]) => ({
      group,
      slotted: t.slotted,
      selected: t.selected,
      selectionRate: t.selected / t.slotted,
      exposure: t.exposure / t.slotted,
      truePositiveRate: t.q > 0 ? t.qs / t.q : null,
      falsePositiveRate: t.u > 0 ? t.us / t.u : null,
    }));
  const tprs = groups.map((g) => g.truePositiveRate);
  const fprs = groups.map((g) => g.falsePositiveRate);
  return {
    k,
    groups,
    demographicParityDifference: demographicParity(groups.map((g) => g.selectionRate)),
    disparateImpactRatio: disparateImpact(groups.map((g) => g.selectionRate)),
    equalOpportunityDifference: equalOpportunity(tprs),
    equalizedOddsDifference: equalizedOdds(tprs, fprs),
    exposureRatio: exposureRatio(groups.map((g) => g.exposure)),
  };
}

export interface RankingScores {
  readonly queries: number;
  readonly recall100: number;
  readonly ndcg10: number;
  /** MRR@10 (a relevant item: grade ≥ 1). */
  readonly mrr10: number;
  readonly precision10: number;
  readonly hit10: number;
  readonly map10: number;
  readonly err10: number;
}

/** IR metrics of a run over the judged vacancies (means over those with a relevant judgement). */
export function scoreRun(
  run: ReadonlyMap<string, readonly string[]>,
  qrels: ReadonlyMap<string, Judgements>,
  maxGrade?: number,
): RankingScores {
  const evaluation = evaluateRun(run, qrels, [10, 100], maxGrade === undefined ? {} : { maxGrade });
  const at10 = evaluation.byK.find((m) => m.k === 10)!;
  const at100 = evaluation.byK.find((m) => m.k === 100)!;
  return {
    queries: evaluation.evaluatedQueries,
    recall100: at100.recall,
    ndcg10: at10.ndcg,
    mrr10: at10.reciprocalRank,
    precision10: at10.precision,
    hit10: at10.hit,
    map10: at10.averagePrecision,
    err10: at10.err,
  };
}
