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
 */
import { BadUserInputError } from '../errors.js';

/** Group of members whose sensitive attribute is not recorded. */
export const UNKNOWN_GROUP = 'unknown';
/** Smallest group reported on its own; smaller groups are merged into a suppressed count. */
export const DEFAULT_MIN_GROUP_SIZE = 5;
/** The four-fifths (80 %) rule of the US Uniform Guidelines on Employee Selection Procedures. */
export const FOUR_FIFTHS_THRESHOLD = 0.8;

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
}

export interface FairnessReport {
  /** The requested cut-off. */
  readonly k: number;
  /** The cut-off applied: min(k, poolSize). */
  readonly effectiveK: number;
  readonly poolSize: number;
  readonly minGroupSize: number;
  /** Groups with at least `minGroupSize` members, by name. */
  readonly groups: readonly GroupFairness[];
  /** Groups below `minGroupSize`, reported only as counts. */
  readonly suppressedGroups: number;
  readonly suppressedMembers: number;
  /** Max − min selection rate over reported groups. */
  readonly demographicParityDifference: number | null;
  /** Min / max selection rate over reported groups; `null` also when no one is selected. */
  readonly disparateImpactRatio: number | null;
  /** disparateImpactRatio ≥ 0.8; `null` when the ratio is. */
  readonly fourFifthsRulePassed: boolean | null;
  /** Min / max mean exposure over reported groups. */
  readonly exposureRatio: number | null;
  /** Max − min true positive rate over reported groups with a qualified member. */
  readonly equalOpportunityDifference: number | null;
  /** Max of the true- and false-positive-rate differences; `null` unless both are defined. */
  readonly equalizedOddsDifference: number | null;
  /** Plain-language caveats: suppression, undefined figures, thin labels. */
  readonly notes: readonly string[];
}

interface GroupTally {
  poolCount: number;
  topKCount: number;
  exposureSum: number;
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
        qualified: 0,
        qualifiedSelected: 0,
        unqualified: 0,
        unqualifiedSelected: 0,
      };
      tallies.set(key, tally);
    }
    const selected = index < k;
    tally.poolCount += 1;
    tally.exposureSum += dcgDiscount(index + 1);
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

/**
 * Fairness report for one ranking, safe to show: only group-level counts and rates, never ids
 * or per-person values. Groups with fewer than `minGroupSize` pool members are not reported on
 * their own and are left out of the between-group figures; their number and total size are
 * reported, so their top-k count can still be derived by subtraction, but not which group they
 * are nor any rate of theirs.
 */
export function measureFairness(
  ranked: readonly FairnessItem[],
  k: number,
  minGroupSize: number = DEFAULT_MIN_GROUP_SIZE,
): FairnessReport {
  assertCutoff(k);
  assertMinGroupSize(minGroupSize);
  const poolSize = ranked.length;
  const effectiveK = Math.min(k, poolSize);
  const notes: string[] = [];

  const groups: GroupFairness[] = [];
  let suppressedGroups = 0;
  let suppressedMembers = 0;
  for (const [group, tally] of tallyGroups(ranked, effectiveK)) {
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
      ...outcomeRatesOf(tally),
    });
  }

  const selection = groups.map((g) => g.selectionRate);
  const tprs = groups.map((g) => g.truePositiveRate);
  const fprs = groups.map((g) => g.falsePositiveRate);
  const demographicParityDifference = demographicParity(selection);
  const disparateImpactRatio = disparateImpact(selection);
  const equalOpportunityDifference = equalOpportunity(tprs);
  const equalizedOddsDifference = equalizedOdds(tprs, fprs);

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
    if (equalOpportunityDifference === null) {
      notes.push('Equal opportunity needs at least two reported groups with a known qualified member.');
    }
    if (equalizedOddsDifference === null) {
      notes.push(
        'Equalized odds needs at least two reported groups with known qualified members and two with known unqualified members.',
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
    groups,
    suppressedGroups,
    suppressedMembers,
    demographicParityDifference,
    disparateImpactRatio,
    fourFifthsRulePassed:
      disparateImpactRatio === null ? null : disparateImpactRatio >= FOUR_FIFTHS_THRESHOLD,
    exposureRatio: exposureRatio(groups.map((g) => g.exposure)),
    equalOpportunityDifference,
    equalizedOddsDifference,
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
): FairnessReport {
  assertCutoff(k);
  assertMinGroupSize(minGroupSize);
  const cut = Math.floor(Math.min(k, ranked.length) / minGroupSize) * minGroupSize;
  const report = measureFairness(ranked, cut, minGroupSize);
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
    notes: [
      `Fairness figures are withheld for your role: ${reason}, so they could reveal individual people's attributes.` +
        (named ? ` Groups with at least ${minGroupSize} members in the pool: ${named}.` : ''),
    ],
  };
}
