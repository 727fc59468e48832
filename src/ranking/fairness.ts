/**
 * Group-fairness report for one ranking: how each value of a sensitive attribute fares in the
 * top k (selection rate, share, error rates against known outcomes) and over the whole ranked
 * pool (position-based exposure), plus the usual between-group summaries. Pure functions.
 *
 * Conventions shared by every function here:
 * - The input is the retrieved pool in ranked order: index 0 is rank 1. The top k is the first
 *   `min(k, pool size)` items.
 * - A `null` group counts as the group {@link UNKNOWN_GROUP}; an attribute value spelled
 *   "unknown" therefore lands in the same group.
 * - Groups are listed by name in UTF-16 code-unit order (`Array.prototype.sort`), not by locale,
 *   so reports are identical on every machine.
 * - A between-group figure needs at least two groups. With fewer it is `null`, not 0: zero would
 *   claim parity that was never measured.
 *
 * The building blocks (`selectionRates`, `exposureByGroup`, …) see every group; only
 * {@link measureFairness} applies the privacy threshold.
 *
 * Two thresholds, for two different reasons:
 * - privacy (`minGroupSize`, PRIVACY_MIN_GROUP_SIZE): a smaller group is not reported at all;
 * - statistics ({@link FairnessStatistics}): a reported group enters a between-group figure only
 *   with enough members for the figure to mean something (at least `minPoolCount` in the pool and
 *   `minExpectedCount` expected in the top k). Below that the figure is `INSUFFICIENT_DATA` and its
 *   value `null`, never a pass or a fail. Every figure carries a significance test (a p-value against
 *   a ranking blind to the attribute) and, where one exists, a 95 % confidence interval.
 */
import { BadUserInputError } from '../errors.js';
import {
  bonferroniPairs,
  fisherExactTest,
  meanDifferenceTest,
  newcombeDifferenceInterval,
  ratioInterval,
  wilsonInterval,
  type Interval,
} from './statistics.js';

export type { Interval } from './statistics.js';

/** Group of members whose sensitive attribute is not recorded. */
export const UNKNOWN_GROUP = 'unknown';
/** Smallest group reported on its own; smaller groups are merged into a suppressed count. */
export const DEFAULT_MIN_GROUP_SIZE = 5;
/** The four-fifths (80 %) rule of the US Uniform Guidelines on Employee Selection Procedures. */
export const FOUR_FIFTHS_THRESHOLD = 0.8;

/**
 * When a between-group figure may be computed, and when its gap counts as real. Documented in the
 * README ("Fairness figures") and reported with every report (`FairnessReport.statistics`).
 */
export interface FairnessStatistics {
  /**
   * Members a group needs, among the units of the figure (pool members; for the error rates, the
   * members with a known positive or negative outcome), before it enters the figure.
   */
  readonly minPoolCount: number;
  /**
   * Members of the group the top k would hold if it were drawn blind to the attribute
   * (units × selected / all units) before it enters a top-k figure: below ~5 a count of 0 is what
   * chance gives anyway. Exposure, over the whole pool, has no such minimum.
   */
  readonly minExpectedCount: number;
  /** p-value below which a gap is reported as significant. */
  readonly significanceLevel: number;
}

export const DEFAULT_FAIRNESS_STATISTICS: FairnessStatistics = {
  minPoolCount: 30,
  minExpectedCount: 5,
  significanceLevel: 0.05,
};

export interface FairnessItem {
  readonly id: string;
  /** Sensitive attribute value, or `null` when not recorded. */
  readonly group: string | null;
  readonly score: number;
  /**
   * Known only where an application outcome exists: HIRED / INTERVIEW → true, REJECTED → false.
   * `null` or absent: unlabelled.
   */
  readonly qualified?: boolean | null;
}

/** Per-group values keyed by group, or bare values (for evaluation tables). */
export type GroupValues = ReadonlyMap<string, number> | readonly number[];
/** As {@link GroupValues}, where `null` marks a group for which the value is undefined. */
export type OptionalGroupValues = ReadonlyMap<string, number | null> | readonly (number | null)[];

export interface OutcomeRates {
  /** Qualified members selected into the top k / qualified members; `null` without qualified members. */
  readonly truePositiveRate: number | null;
  /** Unqualified members selected / unqualified members; `null` without unqualified members. */
  readonly falsePositiveRate: number | null;
}

export interface GroupFairness extends OutcomeRates {
  readonly group: string;
  readonly poolCount: number;
  readonly topKCount: number;
  /** poolCount / pool size (suppressed members included in the pool size). */
  readonly poolShare: number;
  /** topKCount / effective k; 0 when the effective k is 0. */
  readonly topKShare: number;
  /** topKCount / poolCount. */
  readonly selectionRate: number;
  /** Mean of 1 / log2(1 + rank) over the group's members, ranks taken over the whole pool. */
  readonly exposure: number;
  /** Members with a positive outcome (the denominator of the true positive rate). */
  readonly qualifiedCount: number;
  /** Members with a negative outcome (the denominator of the false positive rate). */
  readonly unqualifiedCount: number;
  /** Members the top k would hold if drawn blind to the attribute: poolCount × effective k / pool size. */
  readonly expectedTopKCount: number;
  /** 95 % Wilson interval of the selection rate. */
  readonly selectionRateInterval: Interval;
  /** 95 % Wilson interval of the true positive rate; `null` without qualified members. */
  readonly truePositiveRateInterval: Interval | null;
  /** 95 % Wilson interval of the false positive rate; `null` without unqualified members. */
  readonly falsePositiveRateInterval: Interval | null;
}

export type FairnessFigureName =
  'demographicParity' | 'disparateImpact' | 'exposure' | 'equalOpportunity' | 'equalizedOdds';

/**
 * What a figure can say: too little data to say anything; a gap no larger than a ranking blind to
 * the attribute gives by chance (p ≥ significance level); a gap chance does not explain; or nothing
 * for this caller (privacy).
 */
export type FairnessFigureStatus =
  'INSUFFICIENT_DATA' | 'NO_SIGNIFICANT_DISPARITY' | 'SIGNIFICANT_DISPARITY' | 'WITHHELD';

/** Why a reported group is not part of a figure. */
export type LeftOutReason = 'SMALL_GROUP' | 'FEW_EXPECTED' | 'NO_OUTCOMES';

export interface LeftOutGroup {
  readonly group: string;
  readonly reason: LeftOutReason;
}

/** One between-group figure with its uncertainty and the groups it covers. */
export interface FairnessFigure {
  readonly name: FairnessFigureName;
  readonly status: FairnessFigureStatus;
  /** The figure over `groupsCompared`; `null` unless the status is a (no) disparity. */
  readonly value: number | null;
  /** 95 % interval of the value; `null` where none is computed (exposure, equalized odds). */
  readonly interval: Interval | null;
  /** p-value of "no difference" (Bonferroni-adjusted over the pairs of compared groups). */
  readonly pValue: number | null;
  /** The groups the figure compares (at least two, else none). */
  readonly groupsCompared: readonly string[];
  /** Reported groups left out, and why. Suppressed groups are counted in the report, not named. */
  readonly groupsLeftOut: readonly LeftOutGroup[];
  /** What the figure says, and its limits, in words. */
  readonly note: string;
}

export interface FairnessReport {
  /** The requested cut-off. */
  readonly k: number;
  /** The cut-off applied: min(k, poolSize). */
  readonly effectiveK: number;
  readonly poolSize: number;
  readonly minGroupSize: number;
  /** The statistical minimums and significance level the figures use. */
  readonly statistics: FairnessStatistics;
  /** Groups with at least `minGroupSize` members, by name. */
  readonly groups: readonly GroupFairness[];
  /** Groups below `minGroupSize`, reported only as counts. */
  readonly suppressedGroups: number;
  readonly suppressedMembers: number;
  /** Max − min selection rate over the groups its figure compares; `null`: insufficient data. */
  readonly demographicParityDifference: number | null;
  /** Min / max selection rate over the groups its figure compares; `null`: insufficient data. */
  readonly disparateImpactRatio: number | null;
  /**
   * true: the ratio is ≥ 0.8; false: it is below 0.8 and the gap is significant; `null`: the ratio
   * is undefined, or below 0.8 by a gap that chance explains. Never false on a handful of people.
   */
  readonly fourFifthsRulePassed: boolean | null;
  /** Min / max mean exposure over the groups its figure compares. */
  readonly exposureRatio: number | null;
  /** Max − min true positive rate over the groups its figure compares. */
  readonly equalOpportunityDifference: number | null;
  /** Max of the true- and false-positive-rate differences; `null` unless both are defined. */
  readonly equalizedOddsDifference: number | null;
  /** Every between-group figure with its status, uncertainty and coverage, in a fixed order. */
  readonly figures: readonly FairnessFigure[];
  /** Plain-language caveats: suppression, undefined figures, thin labels. */
  readonly notes: readonly string[];
}

interface GroupTally {
  poolCount: number;
  topKCount: number;
  exposureSum: number;
  /** Each member's exposure, in rank order (the exposure test). */
  discounts: number[];
  qualified: number;
  qualifiedSelected: number;
  unqualified: number;
  unqualifiedSelected: number;
}

/** The group an item is counted in. */
export function groupKey(group: string | null): string {
  return group ?? UNKNOWN_GROUP;
}

/** DCG position discount 1 / log2(1 + rank) for a 1-based rank: 1, 0.631, 0.5, 0.431, … */
export function dcgDiscount(rank: number): number {
  if (!Number.isInteger(rank) || rank < 1) throw new RangeError(`rank must be an integer ≥ 1 (got ${rank})`);
  return 1 / Math.log2(1 + rank);
}

function assertCutoff(k: number): void {
  if (!Number.isInteger(k) || k < 0) throw new BadUserInputError('k must be an integer ≥ 0', { k });
}

function assertMinGroupSize(minGroupSize: number): void {
  if (!Number.isInteger(minGroupSize) || minGroupSize < 1) {
    throw new BadUserInputError('minGroupSize must be an integer ≥ 1', { minGroupSize });
  }
}

function assertStatistics(s: FairnessStatistics): void {
  if (!Number.isInteger(s.minPoolCount) || s.minPoolCount < 1) {
    throw new BadUserInputError('statistics.minPoolCount must be an integer ≥ 1', { ...s });
  }
  if (!Number.isFinite(s.minExpectedCount) || s.minExpectedCount < 0) {
    throw new BadUserInputError('statistics.minExpectedCount must be a number ≥ 0', { ...s });
  }
  if (!(s.significanceLevel > 0 && s.significanceLevel < 1)) {
    throw new BadUserInputError('statistics.significanceLevel must be in (0, 1)', { ...s });
  }
}

/** One pass over the pool; groups in name order. */
function tallyGroups(
  ranked: readonly Pick<FairnessItem, 'group' | 'qualified'>[],
  k: number,
): Map<string, GroupTally> {
  const tallies = new Map<string, GroupTally>();
  ranked.forEach((item, index) => {
    const key = groupKey(item.group);
    let tally = tallies.get(key);
    if (!tally) {
      tally = {
        poolCount: 0,
        topKCount: 0,
        exposureSum: 0,
        discounts: [],
        qualified: 0,
        qualifiedSelected: 0,
        unqualified: 0,
        unqualifiedSelected: 0,
      };
      tallies.set(key, tally);
    }
    const selected = index < k;
    tally.poolCount += 1;
    const discount = dcgDiscount(index + 1);
    tally.exposureSum += discount;
    tally.discounts.push(discount);
    if (selected) tally.topKCount += 1;
    if (item.qualified === true) {
      tally.qualified += 1;
      if (selected) tally.qualifiedSelected += 1;
    } else if (item.qualified === false) {
      tally.unqualified += 1;
      if (selected) tally.unqualifiedSelected += 1;
    }
  });
  return new Map([...tallies.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function rateOrNull(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

function outcomeRatesOf(tally: GroupTally): OutcomeRates {
  return {
    truePositiveRate: rateOrNull(tally.qualifiedSelected, tally.qualified),
    falsePositiveRate: rateOrNull(tally.unqualifiedSelected, tally.unqualified),
  };
}

function mapTallies<V>(tallies: Map<string, GroupTally>, f: (tally: GroupTally) => V): Map<string, V> {
  return new Map([...tallies.entries()].map(([group, tally]) => [group, f(tally)]));
}

/** Share of each group's pool members that reach the top k (topKCount / poolCount). */
export function selectionRates(
  ranked: readonly Pick<FairnessItem, 'group'>[],
  k: number,
): Map<string, number> {
  assertCutoff(k);
  return mapTallies(tallyGroups(ranked, k), (t) => t.topKCount / t.poolCount);
}

/** Mean DCG exposure 1 / log2(1 + rank) of each group's members over the whole ranked pool. */
export function exposureByGroup(ranked: readonly Pick<FairnessItem, 'group'>[]): Map<string, number> {
  return mapTallies(tallyGroups(ranked, 0), (t) => t.exposureSum / t.poolCount);
}

/** True and false positive rates of selection into the top k, per group, against known outcomes. */
export function outcomeRatesByGroup(
  ranked: readonly Pick<FairnessItem, 'group' | 'qualified'>[],
  k: number,
): Map<string, OutcomeRates> {
  assertCutoff(k);
  return mapTallies(tallyGroups(ranked, k), outcomeRatesOf);
}

function definedValues(values: GroupValues | OptionalGroupValues): number[] {
  const all: readonly (number | null)[] = Array.isArray(values)
    ? (values as readonly (number | null)[])
    : [...(values as ReadonlyMap<string, number | null>).values()];
  return all.filter((v): v is number => v !== null);
}

/** max − min over at least two values; `null` otherwise. */
function spread(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  return Math.max(...values) - Math.min(...values);
}

/** min / max over at least two values with a positive max; `null` otherwise. */
function minMaxRatio(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const max = Math.max(...values);
  return max > 0 ? Math.min(...values) / max : null;
}

/** Demographic parity difference: max − min selection rate (0 = parity). `null` for < 2 groups. */
export function demographicParity(rates: GroupValues): number | null {
  return spread(definedValues(rates));
}

/**
 * Disparate impact ratio: min / max selection rate (1 = parity; the four-fifths rule passes at
 * ≥ 0.8). `null` for < 2 groups or when no group has anyone selected.
 */
export function disparateImpact(rates: GroupValues): number | null {
  return minMaxRatio(definedValues(rates));
}

/** Exposure ratio: min / max mean exposure (1 = equal attention). `null` for < 2 groups. */
export function exposureRatio(exposures: GroupValues): number | null {
  return minMaxRatio(definedValues(exposures));
}

/**
 * Equal opportunity difference: max − min true positive rate over the groups where it is
 * defined (`null` entries, groups without qualified members, are skipped). `null` for < 2 such groups.
 */
export function equalOpportunity(truePositiveRates: OptionalGroupValues): number | null {
  return spread(definedValues(truePositiveRates));
}

/**
 * Equalized odds difference: the larger of the true-positive-rate and false-positive-rate
 * differences, each over the groups where that rate is defined. `null` unless both are defined:
 * half of the criterion is not the criterion.
 */
export function equalizedOdds(
  truePositiveRates: OptionalGroupValues,
  falsePositiveRates: OptionalGroupValues,
): number | null {
  const tprDifference = spread(definedValues(truePositiveRates));
  const fprDifference = spread(definedValues(falsePositiveRates));
  return tprDifference === null || fprDifference === null ? null : Math.max(tprDifference, fprDifference);
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
const quote = (groups: readonly string[]): string => groups.map((g) => `"${g}"`).join(', ');
const f3 = (x: number): string => x.toFixed(3);
const pText = (p: number): string => (p < 0.001 ? 'p < 0.001' : `p = ${f3(p)}`);
const intervalText = (i: Interval | null): string => (i ? ` (95 % CI ${f3(i.lower)}–${f3(i.upper)})` : '');

/** One group's figures for one rate: its units, how many were selected, how many chance would select. */
interface RateUnit {
  readonly group: string;
  readonly units: number;
  readonly selected: number;
  readonly expected: number;
}

interface Coverage<T extends { group: string }> {
  readonly compared: T[];
  readonly leftOut: LeftOutGroup[];
}

/** Splits units into the groups a figure may compare and those it leaves out (with the reason). */
function cover(units: readonly RateUnit[], stats: FairnessStatistics, topK: boolean): Coverage<RateUnit> {
  const compared: RateUnit[] = [];
  const leftOut: LeftOutGroup[] = [];
  for (const u of units) {
    if (u.units === 0) leftOut.push({ group: u.group, reason: 'NO_OUTCOMES' });
    else if (u.units < stats.minPoolCount) leftOut.push({ group: u.group, reason: 'SMALL_GROUP' });
    else if (topK && u.expected < stats.minExpectedCount)
      leftOut.push({ group: u.group, reason: 'FEW_EXPECTED' });
    else compared.push(u);
  }
  return { compared, leftOut };
}

function leftOutText(leftOut: readonly LeftOutGroup[], stats: FairnessStatistics, units: string): string {
  const parts: string[] = [];
  const by = (reason: LeftOutReason) => leftOut.filter((l) => l.reason === reason).map((l) => l.group);
  const small = by('SMALL_GROUP');
  const few = by('FEW_EXPECTED');
  const none = by('NO_OUTCOMES');
  if (small.length > 0) parts.push(`${quote(small)} (fewer than ${stats.minPoolCount} ${units})`);
  if (few.length > 0)
    parts.push(`${quote(few)} (fewer than ${stats.minExpectedCount} expected in the top k)`);
  if (none.length > 0) parts.push(`${quote(none)} (no ${units})`);
  return parts.length > 0 ? ` Left out: ${parts.join('; ')}.` : '';
}

function insufficient(
  name: FairnessFigureName,
  coverage: Coverage<{ group: string }>,
  stats: FairnessStatistics,
  units: string,
  why: string,
): FairnessFigure {
  return {
    name,
    status: 'INSUFFICIENT_DATA',
    value: null,
    interval: null,
    pValue: null,
    groupsCompared: [],
    groupsLeftOut: coverage.leftOut,
    note: `Insufficient data: ${why}.${leftOutText(coverage.leftOut, stats, units)}`,
  };
}

function statusOf(p: number, stats: FairnessStatistics): FairnessFigureStatus {
  return p < stats.significanceLevel ? 'SIGNIFICANT_DISPARITY' : 'NO_SIGNIFICANT_DISPARITY';
}

function verdict(p: number, stats: FairnessStatistics): string {
  return p < stats.significanceLevel
    ? `${pText(p)}: a gap this large is unlikely from a ranking blind to the attribute`
    : `${pText(p)}: a ranking blind to the attribute gives gaps this large by chance`;
}

/** The highest- and lowest-rate compared groups (ties: the first in name order). */
function extremes(compared: readonly RateUnit[]): { high: RateUnit; low: RateUnit } {
  let high = compared[0] as RateUnit;
  let low = compared[0] as RateUnit;
  for (const u of compared) {
    if (u.selected / u.units > high.selected / high.units) high = u;
    if (u.selected / u.units < low.selected / low.units) low = u;
  }
  return { high, low };
}

/**
 * A rate compared between groups: its difference (max − min, Newcombe interval) or ratio
 * (min / max, Katz interval), tested with Fisher's exact test between the two extreme groups,
 * Bonferroni-adjusted for the pairs compared.
 */
function rateFigure(
  name: FairnessFigureName,
  kind: 'difference' | 'ratio',
  units: readonly RateUnit[],
  stats: FairnessStatistics,
  labels: { readonly rate: string; readonly units: string },
): FairnessFigure {
  const coverage = cover(units, stats, true);
  const { compared, leftOut } = coverage;
  if (compared.length < 2) {
    return insufficient(
      name,
      coverage,
      stats,
      labels.units,
      `fewer than two groups have at least ${stats.minPoolCount} ${labels.units} and ${stats.minExpectedCount} expected in the top k`,
    );
  }
  const { high, low } = extremes(compared);
  const highRate = high.selected / high.units;
  const lowRate = low.selected / low.units;
  if (kind === 'ratio' && highRate === 0) {
    return insufficient(name, coverage, stats, labels.units, 'no one of the compared groups is selected');
  }
  const pValue = bonferroniPairs(
    fisherExactTest(high.selected, high.units - high.selected, low.selected, low.units - low.selected),
    compared.length,
  );
  const value = kind === 'ratio' ? lowRate / highRate : highRate - lowRate;
  const interval =
    kind === 'ratio'
      ? ratioInterval(low.selected, low.units, high.selected, high.units)
      : newcombeDifferenceInterval(high.selected, high.units, low.selected, low.units);
  const what = kind === 'ratio' ? 'ratio' : 'difference';
  return {
    name,
    status: statusOf(pValue, stats),
    value,
    interval,
    pValue,
    groupsCompared: compared.map((u) => u.group),
    groupsLeftOut: leftOut,
    note:
      `${labels.rate} ${what} ${f3(value)}${intervalText(interval)} between "${low.group}" ` +
      `(${low.selected} of ${low.units}) and "${high.group}" (${high.selected} of ${high.units}); ` +
      `${verdict(pValue, stats)} (Fisher's exact test${compared.length > 2 ? ', Bonferroni-adjusted' : ''}).` +
      leftOutText(leftOut, stats, labels.units),
  };
}

function exposureFigure(
  tallies: ReadonlyMap<string, GroupTally>,
  reported: readonly GroupFairness[],
  stats: FairnessStatistics,
): FairnessFigure {
  const units = reported.map((g) => ({ group: g.group, units: g.poolCount, selected: 0, expected: 0 }));
  const coverage = cover(units, stats, false);
  if (coverage.compared.length < 2) {
    return insufficient(
      'exposure',
      coverage,
      stats,
      'pool members',
      `fewer than two groups have at least ${stats.minPoolCount} pool members`,
    );
  }
  const compared = reported.filter((g) => coverage.compared.some((u) => u.group === g.group));
  let high = compared[0] as GroupFairness;
  let low = compared[0] as GroupFairness;
  for (const g of compared) {
    if (g.exposure > high.exposure) high = g;
    if (g.exposure < low.exposure) low = g;
  }
  const raw = meanDifferenceTest(
    tallies.get(high.group)?.discounts ?? [],
    tallies.get(low.group)?.discounts ?? [],
  );
  const pValue = raw === null ? 1 : bonferroniPairs(raw, compared.length);
  const value = high.exposure > 0 ? low.exposure / high.exposure : 1;
  return {
    name: 'exposure',
    status: statusOf(pValue, stats),
    value,
    interval: null,
    pValue,
    groupsCompared: compared.map((g) => g.group),
    groupsLeftOut: coverage.leftOut,
    note:
      `Exposure ratio ${f3(value)} between "${low.group}" and "${high.group}" over the whole ranked pool; ` +
      `${verdict(pValue, stats)} (normal approximation to the permutation test; no interval).` +
      leftOutText(coverage.leftOut, stats, 'pool members'),
  };
}

function equalizedOddsFigure(
  tpr: FairnessFigure,
  fpr: FairnessFigure,
  stats: FairnessStatistics,
): FairnessFigure {
  const groupsLeftOut = [
    ...tpr.groupsLeftOut,
    ...fpr.groupsLeftOut.filter((l) => !tpr.groupsLeftOut.some((t) => t.group === l.group)),
  ];
  if (tpr.value === null || fpr.value === null || tpr.pValue === null || fpr.pValue === null) {
    return {
      name: 'equalizedOdds',
      status: 'INSUFFICIENT_DATA',
      value: null,
      interval: null,
      pValue: null,
      groupsCompared: [],
      groupsLeftOut,
      note:
        'Insufficient data: equalized odds needs both the true-positive-rate gap (qualified members) ' +
        `and the false-positive-rate gap (unqualified members) over at least two groups with ${stats.minPoolCount} ` +
        `such members and ${stats.minExpectedCount} expected in the top k.`,
    };
  }
  const pValue = Math.min(1, 2 * Math.min(tpr.pValue, fpr.pValue));
  const value = Math.max(tpr.value, fpr.value);
  return {
    name: 'equalizedOdds',
    status: statusOf(pValue, stats),
    value,
    interval: null,
    pValue,
    groupsCompared: tpr.groupsCompared.filter((g) => fpr.groupsCompared.includes(g)),
    groupsLeftOut,
    note:
      `Equalized odds difference ${f3(value)} (the larger of the true- and false-positive-rate gaps); ` +
      `${verdict(pValue, stats)} (the smaller of the two p-values, doubled; no interval).`,
  };
}

/**
 * Fairness report for one ranking, safe to show: only group-level counts and rates, never ids
 * or per-person values. Groups with fewer than `minGroupSize` pool members are not reported on
 * their own and are left out of the between-group figures; their number and total size are
 * reported, so their top-k count can still be derived by subtraction, but not which group they
 * are nor any rate of theirs.
 *
 * A between-group figure compares only the reported groups that meet `statistics` (see
 * {@link FairnessStatistics}); with fewer than two such groups it is `INSUFFICIENT_DATA` and its
 * value `null`.
 */
export function measureFairness(
  ranked: readonly FairnessItem[],
  k: number,
  minGroupSize: number = DEFAULT_MIN_GROUP_SIZE,
  statistics: FairnessStatistics = DEFAULT_FAIRNESS_STATISTICS,
): FairnessReport {
  assertCutoff(k);
  assertMinGroupSize(minGroupSize);
  assertStatistics(statistics);
  const poolSize = ranked.length;
  const effectiveK = Math.min(k, poolSize);
  const notes: string[] = [];

  const tallies = tallyGroups(ranked, effectiveK);
  const groups: GroupFairness[] = [];
  let suppressedGroups = 0;
  let suppressedMembers = 0;
  for (const [group, tally] of tallies) {
    if (tally.poolCount < minGroupSize) {
      suppressedGroups += 1;
      suppressedMembers += tally.poolCount;
      continue;
    }
    groups.push({
      group,
      poolCount: tally.poolCount,
      topKCount: tally.topKCount,
      poolShare: tally.poolCount / poolSize,
      topKShare: effectiveK === 0 ? 0 : tally.topKCount / effectiveK,
      selectionRate: tally.topKCount / tally.poolCount,
      exposure: tally.exposureSum / tally.poolCount,
      qualifiedCount: tally.qualified,
      unqualifiedCount: tally.unqualified,
      expectedTopKCount: poolSize === 0 ? 0 : (tally.poolCount * effectiveK) / poolSize,
      // A reported group has at least one member, so the interval exists.
      selectionRateInterval: wilsonInterval(tally.topKCount, tally.poolCount) as Interval,
      truePositiveRateInterval: wilsonInterval(tally.qualifiedSelected, tally.qualified),
      falsePositiveRateInterval: wilsonInterval(tally.unqualifiedSelected, tally.unqualified),
      ...outcomeRatesOf(tally),
    });
  }

  // Units of each rate, with the count chance would select: share selected among all reported units.
  const unitsOf = (count: (t: GroupTally) => number, chosen: (t: GroupTally) => number): RateUnit[] => {
    const rows = groups.map((g) => {
      const t = tallies.get(g.group) as GroupTally;
      return { group: g.group, units: count(t), selected: chosen(t) };
    });
    const allUnits = rows.reduce((s, r) => s + r.units, 0);
    const allSelected = rows.reduce((s, r) => s + r.selected, 0);
    return rows.map((r) => ({ ...r, expected: allUnits === 0 ? 0 : (r.units * allSelected) / allUnits }));
  };
  // Selection: chance fills the whole effective k from the pool (suppressed members included).
  const selectionUnits = groups.map((g) => ({
    group: g.group,
    units: g.poolCount,
    selected: g.topKCount,
    expected: g.expectedTopKCount,
  }));
  const selection = { rate: 'Selection-rate', units: 'pool members' };
  const parityFigure = rateFigure('demographicParity', 'difference', selectionUnits, statistics, selection);
  const impactFigure = rateFigure('disparateImpact', 'ratio', selectionUnits, statistics, selection);
  const opportunityFigure = rateFigure(
    'equalOpportunity',
    'difference',
    unitsOf(
      (t) => t.qualified,
      (t) => t.qualifiedSelected,
    ),
    statistics,
    { rate: 'True-positive-rate', units: 'members with a positive outcome' },
  );
  const falsePositiveFigure = rateFigure(
    'equalizedOdds',
    'difference',
    unitsOf(
      (t) => t.unqualified,
      (t) => t.unqualifiedSelected,
    ),
    statistics,
    { rate: 'False-positive-rate', units: 'members with a negative outcome' },
  );
  const oddsFigure = equalizedOddsFigure(opportunityFigure, falsePositiveFigure, statistics);
  const figures = [
    parityFigure,
    impactFigure,
    exposureFigure(tallies, groups, statistics),
    opportunityFigure,
    oddsFigure,
  ];
  const impact = impactFigure.value;

  if (poolSize === 0) notes.push('The pool is empty: there is nothing to report.');
  if (k > poolSize && poolSize > 0) {
    notes.push(`k (${k}) exceeds the pool size (${poolSize}): the whole pool counts as selected.`);
  }
  if (ranked.some((item) => item.group === null)) {
    notes.push(`Members without a recorded group are counted as the group "${UNKNOWN_GROUP}".`);
  }
  if (suppressedGroups > 0) {
    notes.push(
      `${plural(suppressedGroups, 'group', 'groups')} with fewer than ${minGroupSize} members ` +
        `(${plural(suppressedMembers, 'person', 'people')} in all) ` +
        'are not reported individually and are left out of the between-group differences.',
    );
  }
  if (poolSize > 0 && groups.length < 2) {
    notes.push(
      'Fewer than two groups are reported, so between-group differences are undefined (null), not zero.',
    );
  } else if (groups.length >= 2) {
    if (effectiveK === 0) notes.push('No one is selected (k = 0): the disparate-impact ratio is undefined.');
    if (impactFigure.status === 'INSUFFICIENT_DATA') {
      notes.push(
        `Selection-rate figures are insufficient data (null, not a failure): they need two groups with at least ` +
          `${statistics.minPoolCount} pool members and ${statistics.minExpectedCount} expected in the top ${effectiveK}.`,
      );
    } else if (
      impact !== null &&
      impact < FOUR_FIFTHS_THRESHOLD &&
      impactFigure.status !== 'SIGNIFICANT_DISPARITY'
    ) {
      notes.push(
        `The disparate-impact ratio (${f3(impact)}) is below ${FOUR_FIFTHS_THRESHOLD} but the gap is not significant ` +
          `(${pText(impactFigure.pValue ?? 1)}): the four-fifths rule is neither passed nor failed (null).`,
      );
    }
    if (opportunityFigure.status === 'INSUFFICIENT_DATA') {
      notes.push(
        'Equal opportunity and equalized odds are insufficient data: too few known outcomes per group.',
      );
    }
  }
  const thin = groups.filter(
    (g) =>
      (g.qualifiedCount > 0 && g.qualifiedCount < minGroupSize) ||
      (g.unqualifiedCount > 0 && g.unqualifiedCount < minGroupSize),
  );
  if (thin.length > 0) {
    notes.push(
      `Error rates for ${thin.map((g) => `"${g.group}"`).join(', ')} rest on fewer than ${minGroupSize} ` +
        'known outcomes: they are unstable and may reflect individual decisions.',
    );
  }

  return {
    k,
    effectiveK,
    poolSize,
    minGroupSize,
    statistics,
    groups,
    suppressedGroups,
    suppressedMembers,
    demographicParityDifference: parityFigure.value,
    disparateImpactRatio: impact,
    fourFifthsRulePassed:
      impact === null
        ? null
        : impact >= FOUR_FIFTHS_THRESHOLD
          ? true
          : impactFigure.status === 'SIGNIFICANT_DISPARITY'
            ? false
            : null,
    exposureRatio: figures[2]?.value ?? null,
    equalOpportunityDifference: opportunityFigure.value,
    equalizedOddsDifference: oddsFigure.value,
    figures,
    notes,
  };
}

/**
 * The fairness report for a caller who must not learn anyone's attribute (every role but ADMIN).
 * Exact top-k counts at a cut the caller picks can be differenced: k = n against k = n + 1 names
 * the group of the person at rank n + 1. Two protections:
 *
 * - The top-k figures use a cut of whole blocks of `minGroupSize` (k rounded down; the report's
 *   `k` says which), so every k inside a block gives the same figures and the smallest change a
 *   caller can provoke covers `minGroupSize` people at once.
 * - No counts at all (groups named without figures, a note saying why) when that cut is below
 *   `minGroupSize` or any group of the pool is: a small group's top-k count could otherwise be
 *   derived by subtracting the reported ones from k.
 *
 * What remains: a block whose members all share one group still reveals that group for each of
 * them, and pool-level counts move with the pool (retrieveN, filters). Noise-based (differential
 * privacy) figures would close both; until then the per-group figures of a block are the finest
 * grain shown.
 */
export function measureFairnessPrivately(
  ranked: readonly FairnessItem[],
  k: number,
  minGroupSize: number = DEFAULT_MIN_GROUP_SIZE,
  statistics: FairnessStatistics = DEFAULT_FAIRNESS_STATISTICS,
): FairnessReport {
  assertCutoff(k);
  assertMinGroupSize(minGroupSize);
  const cut = Math.floor(Math.min(k, ranked.length) / minGroupSize) * minGroupSize;
  const report = measureFairness(ranked, cut, minGroupSize, statistics);
  const blockNote =
    cut === k
      ? null
      : `For your role, top-k figures use the top ${cut} (k = ${k} rounded down to a multiple of the privacy threshold ${minGroupSize}), so that nearby values of k cannot be compared to learn one person's group.`;
  if (cut >= minGroupSize && report.suppressedGroups === 0) {
    return { ...report, notes: blockNote ? [blockNote, ...report.notes] : report.notes };
  }
  const reason =
    cut < minGroupSize
      ? `the top k (${Math.min(k, ranked.length)}) is below the privacy threshold (${minGroupSize})`
      : `a group of the pool has fewer than ${minGroupSize} members`;
  const named = report.groups.map((g) => `"${g.group}"`).join(', ');
  return {
    ...report,
    groups: [],
    demographicParityDifference: null,
    disparateImpactRatio: null,
    fourFifthsRulePassed: null,
    exposureRatio: null,
    equalOpportunityDifference: null,
    equalizedOddsDifference: null,
    figures: report.figures.map((f) => ({
      name: f.name,
      status: 'WITHHELD' as const,
      value: null,
      interval: null,
      pValue: null,
      groupsCompared: [],
      groupsLeftOut: [],
      note: "Withheld for your role: the figures could reveal individual people's attributes (see the notes).",
    })),
    notes: [
      `Fairness figures are withheld for your role: ${reason}, so they could reveal individual people's attributes.` +
        (named ? ` Groups with at least ${minGroupSize} members in the pool: ${named}.` : ''),
    ],
  };
}
