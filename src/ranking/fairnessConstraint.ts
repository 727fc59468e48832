/**
 * Re-ranking of the top k so that a group, or every sizeable group, holds a minimum share of it,
 * at the least loss of score a greedy exchange finds. Pure functions.
 *
 * Each step swaps the lowest-scored top-k member of a group that can spare one (more places than
 * it needs itself) with the highest-scored member, outside the top k, of the group furthest below
 * its need. For a single constrained group this is the least-loss exchange; for several it is
 * greedy. "Best" and "worst" follow one total order, score descending then id ascending, so equal
 * scores never make the result depend on input order: among equals the smallest id is promoted
 * first and the largest id demoted first.
 */
import { BadUserInputError } from '../errors.js';
import { DEFAULT_MIN_GROUP_SIZE, groupKey, UNKNOWN_GROUP } from './fairness.js';

export interface ConstrainedItem {
  readonly id: string;
  /** Sensitive attribute value; `null` counts as the group "unknown". */
  readonly group: string | null;
  readonly score: number;
}

/**
 * Either one named group must hold `minShare` of the top k, or (no `group`) every group with at
 * least `minGroupSize` pool members must. The "unknown" group (no recorded attribute) is never a
 * target of the second form: it is not a group anyone belongs to; name it to constrain it anyway.
 */
export type MinGroupShareConstraint =
  { readonly group: string; readonly minShare: number } | { readonly minShare: number };

export interface Swap {
  /** 1-based rank, in the input, of the member moved into the top k. */
  readonly promotedRank: number;
  /** 1-based rank, in the input, of the member moved out of it. */
  readonly demotedRank: number;
}

export interface MinGroupShareResult<T> {
  /**
   * The same items. Unchanged: the input order. Changed: the new top k by score (ties by id), then
   * the demoted members by score (they were ahead of everyone outside), then the remaining tail
   * in input order.
   */
  readonly ranked: T[];
  readonly changed: boolean;
  /** In the order made. Ranks only: who was swapped is the caller's business, not the client's. */
  readonly swaps: readonly Swap[];
  /** Sum of top-k scores before minus after (≥ 0). */
  readonly scoreLoss: number;
  /** Whether every targeted group reached its minimum; when false, `ranked` is the best effort. */
  readonly feasible: boolean;
  readonly note: string;
}

/** Absorbs binary rounding in minShare·k (0.3 · 10 = 3.0000000000000004 must need 3, not 4). */
const SHARE_EPSILON = 1e-9;

interface Entry<T> {
  readonly item: T;
  /** 1-based input rank. */
  readonly rank: number;
  readonly group: string;
}

/** Negative when `a` ranks ahead of `b`: higher score, then smaller id. */
function compareEntries(a: Entry<ConstrainedItem>, b: Entry<ConstrainedItem>): number {
  if (a.item.score !== b.item.score) return b.item.score - a.item.score;
  return a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0;
}

function validate(
  ranked: readonly ConstrainedItem[],
  k: number,
  constraint: MinGroupShareConstraint,
  minGroupSize: number,
): void {
  const { minShare } = constraint;
  if (typeof minShare !== 'number' || !Number.isFinite(minShare) || minShare < 0 || minShare > 1) {
    throw new BadUserInputError('minShare must be a number between 0 and 1', { minShare });
  }
  if ('group' in constraint && (typeof constraint.group !== 'string' || constraint.group.length === 0)) {
    throw new BadUserInputError('group must be a non-empty string');
  }
  if (!Number.isInteger(k) || k < 0) throw new BadUserInputError('k must be an integer ≥ 0', { k });
  if (!Number.isInteger(minGroupSize) || minGroupSize < 1) {
    throw new BadUserInputError('minGroupSize must be an integer ≥ 1', { minGroupSize });
  }
  // Data from the ranking pipeline, not the user: a violation is a bug, reported as an internal error.
  const ids = new Set<string>();
  for (const item of ranked) {
    if (!Number.isFinite(item.score)) throw new RangeError('every score must be a finite number');
    if (ids.has(item.id)) throw new RangeError('ids must be unique within a ranking');
    ids.add(item.id);
  }
}

function countBy<T>(entries: readonly Entry<T>[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.group, (counts.get(e.group) ?? 0) + 1);
  return counts;
}

const sum = (entries: readonly Entry<ConstrainedItem>[]): number =>
  entries.reduce((s, e) => s + e.item.score, 0);
const quoted = (groups: readonly string[]): string => groups.map((g) => `"${g}"`).join(', ');

/**
 * Re-ranks `ranked` (best first) so that the top k meets `constraint`, changing only who is in
 * the top k. `minShare` applies to min(k, pool size) places, rounded up: 0.3 of 10 is 3 places.
 *
 * @throws BadUserInputError when minShare is outside [0, 1], k is not an integer ≥ 0 or
 *   minGroupSize not an integer ≥ 1.
 */
export function applyMinGroupShare<T extends ConstrainedItem>(
  ranked: readonly T[],
  k: number,
  constraint: MinGroupShareConstraint,
  minGroupSize: number = DEFAULT_MIN_GROUP_SIZE,
): MinGroupShareResult<T> {
  validate(ranked, k, constraint, minGroupSize);
  const effectiveK = Math.min(k, ranked.length);
  const required = Math.max(0, Math.ceil(constraint.minShare * effectiveK - SHARE_EPSILON));
  const entries: Entry<T>[] = ranked.map((item, index) => ({
    item,
    rank: index + 1,
    group: groupKey(item.group),
  }));
  const poolCounts = countBy(entries);

  const needs = new Map<string, number>();
  if ('group' in constraint) {
    needs.set(constraint.group, required);
  } else {
    for (const [group, count] of poolCounts) {
      if (group !== UNKNOWN_GROUP && count >= minGroupSize) needs.set(group, required);
    }
  }
  const targets = [...needs.keys()].sort();

  const inTop = entries.map((e) => e.rank <= effectiveK);
  const topCounts = countBy(entries.slice(0, effectiveK));
  const countOf = (group: string): number => topCounts.get(group) ?? 0;
  const needOf = (group: string): number => needs.get(group) ?? 0;
  const swaps: Swap[] = [];

  for (;;) {
    const deficient = targets
      .filter((g) => countOf(g) < needOf(g))
      .sort((a, b) => needOf(b) - countOf(b) - (needOf(a) - countOf(a)) || (a < b ? -1 : 1));
    if (deficient.length === 0) break;
    // Lowest-ranked top-k member of a group holding more places than it needs.
    let demoted: Entry<T> | undefined;
    for (const e of entries) {
      if (
        inTop[e.rank - 1] &&
        countOf(e.group) > needOf(e.group) &&
        (!demoted || compareEntries(e, demoted) > 0)
      ) {
        demoted = e;
      }
    }
    if (!demoted) break;
    // Best outsider of the most deficient group that has one.
    let promoted: Entry<T> | undefined;
    for (const group of deficient) {
      for (const e of entries) {
        const outside = !inTop[e.rank - 1];
        if (outside && e.group === group && (!promoted || compareEntries(e, promoted) < 0)) promoted = e;
      }
      if (promoted) break;
    }
    if (!promoted) break;
    inTop[demoted.rank - 1] = false;
    inTop[promoted.rank - 1] = true;
    topCounts.set(demoted.group, countOf(demoted.group) - 1);
    topCounts.set(promoted.group, countOf(promoted.group) + 1);
    swaps.push({ promotedRank: promoted.rank, demotedRank: demoted.rank });
  }

  const shortfalls = targets.filter((g) => countOf(g) < needOf(g));
  const feasible = shortfalls.length === 0;
  const places = `at least ${required} of the top ${effectiveK}`;

  if (swaps.length === 0) {
    let note: string;
    if (targets.length === 0)
      note = `No group has ${minGroupSize} or more members in the pool: nothing to constrain.`;
    else if (feasible) note = `The top ${effectiveK} already gives ${quoted(targets)} ${places}.`;
    else
      note = `Cannot give ${quoted(shortfalls)} ${places}: no one can be exchanged; the ranking is unchanged.`;
    return { ranked: [...ranked], changed: false, swaps, scoreLoss: 0, feasible, note };
  }

  const top = entries.filter((_, i) => inTop[i]).sort(compareEntries);
  const demotedEntries = entries
    .slice(0, effectiveK)
    .filter((e) => !inTop[e.rank - 1])
    .sort(compareEntries);
  const tail = entries.slice(effectiveK).filter((e) => !inTop[e.rank - 1]);
  const scoreLoss = sum(entries.slice(0, effectiveK)) - sum(top);
  const moved = `Moved ${swaps.length} ${swaps.length === 1 ? 'candidate' : 'candidates'} into the top ${effectiveK}`;
  const note = feasible
    ? `${moved} to give ${quoted(targets)} ${places}; score loss ${scoreLoss.toFixed(4)}.`
    : `${moved}, but ${quoted(shortfalls)} still ${shortfalls.length === 1 ? 'has' : 'have'} fewer than ${required} ` +
      `places: no one else can be exchanged. Best effort; score loss ${scoreLoss.toFixed(4)}.`;
  return {
    ranked: [...top, ...demotedEntries, ...tail].map((e) => e.item),
    changed: true,
    swaps,
    scoreLoss,
    feasible,
    note,
  };
}
