/**
 * Privacy of the fairness report for callers other than ADMIN (issue 15 item 2): figures at whole
 * blocks of the privacy threshold, withheld when the cut or a group is small; weight overrides that
 * would overflow a score are refused. Pure functions, no service.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  measureFairness,
  measureFairnessPrivately,
  type FairnessItem,
  type FairnessReport,
} from '../../src/ranking/fairness.js';
import { DEFAULT_WEIGHTS, MAX_WEIGHT_SUM, mergeWeights } from '../../src/ranking/features.js';

/** 40 people, alternating groups in a pattern an attacker would like to recover. */
const POOL: FairnessItem[] = Array.from({ length: 40 }, (_, i) => ({
  id: `c${String(i).padStart(2, '0')}`,
  group: [0, 3, 4, 9, 10, 17, 22, 23, 30, 31, 38].includes(i) ? 'b' : i % 7 === 6 ? 'c' : 'a',
  score: 1 - i / 100,
}));

/** What a differencing attacker reads: the per-group top-k counts and the summaries. */
const figures = (r: FairnessReport) => ({
  k: r.k,
  groups: r.groups.map((g) => [g.group, g.topKCount, g.poolCount]),
  dpd: r.demographicParityDifference,
  dir: r.disparateImpactRatio,
});

describe('measureFairnessPrivately', () => {
  test('k = n and k = n + 1 give the same figures inside a block; the cut is a multiple of the threshold', () => {
    for (let n = 5; n < 39; n += 1) {
      const a = measureFairnessPrivately(POOL, n, 5);
      const b = measureFairnessPrivately(POOL, n + 1, 5);
      assert.equal(a.k % 5, 0);
      assert.equal(a.k, Math.floor(n / 5) * 5);
      if ((n + 1) % 5 !== 0) assert.deepEqual(figures(a), figures(b), `k = ${n} vs ${n + 1}`);
    }
    // ADMIN's exact figures at k = 7 and 8 differ by the group of rank 8; the protected ones do not.
    assert.notDeepEqual(figures(measureFairness(POOL, 7, 5)), figures(measureFairness(POOL, 8, 5)));
    assert.match(measureFairnessPrivately(POOL, 7, 5).notes[0] ?? '', /top 5 \(k = 7 rounded down/);
  });

  test('a top k below the threshold: groups named without any figure, a note says why', () => {
    for (let k = 1; k < 5; k += 1) {
      const r = measureFairnessPrivately(POOL, k, 5);
      assert.deepEqual(r.groups, []);
      assert.equal(r.disparateImpactRatio, null);
      assert.equal(r.demographicParityDifference, null);
      assert.equal(r.exposureRatio, null);
      assert.deepEqual(r.notes, [
        `Fairness figures are withheld for your role: the top k (${k}) is below the privacy threshold (5), so they could reveal individual people's attributes. Groups with at least 5 members in the pool: "a", "b", "c".`,
      ]);
    }
  });

  test('a pool group below the threshold withholds every figure (no count by subtraction)', () => {
    const withOne: FairnessItem[] = [...POOL, { id: 'z', group: 'rare', score: 0 }];
    const exact = measureFairness(withOne, 20, 5);
    assert.equal(exact.suppressedGroups, 1);
    const r = measureFairnessPrivately(withOne, 20, 5);
    assert.deepEqual(r.groups, []);
    assert.match(r.notes[0] ?? '', /a group of the pool has fewer than 5 members/);
    assert.ok(!(r.notes[0] ?? '').includes('rare'), 'a small group is not named');
  });

  test('a k that is a multiple of the threshold with large groups gives the exact figures', () => {
    assert.deepEqual(measureFairnessPrivately(POOL, 20, 5), measureFairness(POOL, 20, 5));
  });
});

describe('mergeWeights bounds', () => {
  test('a sum that overflows, or passes MAX_WEIGHT_SUM, is refused; large finite weights pass', () => {
    assert.throws(() => mergeWeights({ regionMatch: 1e308, essentialCoverage: 1e308 }), RangeError);
    assert.throws(() => mergeWeights({ regionMatch: Number.MAX_VALUE }), /sum to at most 1000000/);
    assert.throws(() => mergeWeights({ regionMatch: Number.POSITIVE_INFINITY }), /finite/);
    const base = Object.values(DEFAULT_WEIGHTS).reduce((s, w) => s + w, 0);
    assert.equal(mergeWeights({ regionMatch: MAX_WEIGHT_SUM - base }).regionMatch, MAX_WEIGHT_SUM - base);
  });
});
