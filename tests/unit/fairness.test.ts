import assert from 'node:assert/strict';
import { test } from 'vitest';
import { BadUserInputError } from '../../src/errors.js';
import {
  dcgDiscount,
  demographicParity,
  disparateImpact,
  equalizedOdds,
  equalOpportunity,
  exposureByGroup,
  exposureRatio,
  measureFairness,
  outcomeRatesByGroup,
  selectionRates,
  type FairnessItem,
} from '../../src/ranking/fairness.js';

const close = (actual: number | null | undefined, expected: number, message?: string): void => {
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) < 1e-9,
    `${message ?? ''} ${actual} ≉ ${expected}`,
  );
};

const item = (id: string, group: string | null, qualified?: boolean | null): FairnessItem => ({
  id,
  group,
  score: 0,
  qualified,
});

/*
 * Six-item ranking, two groups of three, k = 3:
 *   rank  id      group  qualified   discount 1/log2(1+rank)
 *   1     cand-A  f      true        1
 *   2     cand-B  m      true        1/log2 3 = 0.6309297536
 *   3     cand-C  m      false       1/log2 4 = 0.5
 *   4     cand-D  f      true        1/log2 5 = 0.4306765581
 *   5     cand-E  m      (none)      1/log2 6 = 0.3868528072
 *   6     cand-F  f      false       1/log2 7 = 0.3562071871
 */
const SIX = [
  item('cand-A', 'f', true),
  item('cand-B', 'm', true),
  item('cand-C', 'm', false),
  item('cand-D', 'f', true),
  item('cand-E', 'm', null),
  item('cand-F', 'f', false),
];

test('six-item ranking with two groups matches hand-computed figures', () => {
  const report = measureFairness(SIX, 3, 3);
  assert.equal(report.poolSize, 6);
  assert.equal(report.effectiveK, 3);
  assert.deepEqual(
    report.groups.map((g) => g.group),
    ['f', 'm'],
  );
  const [f, m] = report.groups;
  assert.ok(f && m);
  // f: pool 3, top-3 holds A only → 1; m: B and C → 2.
  assert.equal(f.poolCount, 3);
  assert.equal(f.topKCount, 1);
  assert.equal(m.topKCount, 2);
  assert.equal(f.poolShare, 0.5); // 3 / 6
  close(f.topKShare, 1 / 3); // 1 / 3
  close(m.topKShare, 2 / 3); // 2 / 3
  close(f.selectionRate, 1 / 3); // 1 / 3
  close(m.selectionRate, 2 / 3); // 2 / 3
  // exposure f = (1 + 0.4306765581 + 0.3562071871) / 3 = 1.7868837452 / 3 = 0.5956279151
  close(f.exposure, 0.5956279151, 'f exposure');
  // exposure m = (0.6309297536 + 0.5 + 0.3868528072) / 3 = 1.5177825608 / 3 = 0.5059275203
  close(m.exposure, 0.5059275203, 'm exposure');
  // f: qualified A, D; A selected → TPR 1/2. Unqualified F (rank 6) not selected → FPR 0/1.
  assert.equal(f.qualifiedCount, 2);
  assert.equal(f.truePositiveRate, 0.5);
  assert.equal(f.falsePositiveRate, 0);
  // m: qualified B, selected → TPR 1/1. Unqualified C, selected → FPR 1/1. E unlabelled.
  assert.equal(m.truePositiveRate, 1);
  assert.equal(m.falsePositiveRate, 1);

  close(report.demographicParityDifference, 1 / 3); // 2/3 − 1/3
  close(report.disparateImpactRatio, 0.5); // (1/3) / (2/3)
  assert.equal(report.fourFifthsRulePassed, false); // 0.5 < 0.8
  close(report.exposureRatio, 0.849401963); // 0.5059275203 / 0.5956279151
  assert.equal(report.equalOpportunityDifference, 0.5); // 1 − 0.5
  assert.equal(report.equalizedOddsDifference, 1); // max(TPR diff 0.5, FPR diff 1 − 0)
  assert.equal(report.suppressedGroups, 0);
  // Error rates rest on 1–2 outcomes per group, below minGroupSize 3: flagged.
  assert.ok(report.notes.some((n) => n.includes('fewer than 3 known outcomes')));
});

test('a group below minGroupSize is suppressed and left out of the differences', () => {
  // The six above plus two "nonbinary" members at ranks 7 and 8, unselected (selection rate 0).
  const pool = [...SIX, item('cand-G', 'nonbinary'), item('cand-H', 'nonbinary')];
  const report = measureFairness(pool, 3, 3);
  assert.deepEqual(
    report.groups.map((g) => g.group),
    ['f', 'm'],
  );
  assert.equal(report.suppressedGroups, 1);
  assert.equal(report.suppressedMembers, 2);
  assert.equal(report.groups[0]?.poolShare, 0.375); // 3 / 8: the pool size still counts them
  // Including nonbinary (rate 0) would give 2/3 − 0 = 2/3 and a ratio of 0; excluded: as before.
  close(report.demographicParityDifference, 1 / 3);
  close(report.disparateImpactRatio, 0.5);
  close(report.exposureRatio, 0.849401963); // ranks 1–6 unchanged
  assert.ok(report.notes.some((n) => n.includes('1 group with fewer than 3 members (2 people in all)')));
  const json = JSON.stringify(report);
  assert.ok(!json.includes('nonbinary'), 'suppressed group is not named');
  assert.ok(!json.includes('cand-'), 'no ids in the report');
});

test('the default threshold of 5 suppresses every group of three: nothing between groups', () => {
  const report = measureFairness(SIX, 3);
  assert.equal(report.minGroupSize, 5);
  assert.deepEqual(report.groups, []);
  assert.equal(report.suppressedGroups, 2);
  assert.equal(report.suppressedMembers, 6);
  assert.equal(report.demographicParityDifference, null);
  assert.equal(report.fourFifthsRulePassed, null);
});

test('a null group counts as "unknown"', () => {
  const pool = [item('1', null), item('2', 'x'), item('3', null), item('4', 'x')];
  const report = measureFairness(pool, 2, 2);
  assert.deepEqual(
    report.groups.map((g) => [g.group, g.poolCount, g.topKCount]),
    [
      ['unknown', 2, 1],
      ['x', 2, 1],
    ],
  );
  assert.equal(report.demographicParityDifference, 0);
  assert.ok(report.notes.some((n) => n.includes('"unknown"')));
});

test('a single reported group gives null differences, not zero', () => {
  const report = measureFairness([item('1', 'f', true), item('2', 'f', false), item('3', 'f', true)], 1, 1);
  assert.equal(report.groups.length, 1);
  assert.equal(report.demographicParityDifference, null);
  assert.equal(report.disparateImpactRatio, null);
  assert.equal(report.fourFifthsRulePassed, null);
  assert.equal(report.exposureRatio, null);
  assert.equal(report.equalOpportunityDifference, null);
  assert.equal(report.equalizedOddsDifference, null);
  assert.ok(report.notes.some((n) => n.includes('undefined (null), not zero')));
});

test('empty pool, k beyond the pool and k = 0', () => {
  const empty = measureFairness([], 10);
  assert.equal(empty.poolSize, 0);
  assert.equal(empty.effectiveK, 0);
  assert.deepEqual(empty.groups, []);
  assert.equal(empty.demographicParityDifference, null);
  assert.ok(empty.notes.some((n) => n.includes('empty')));

  // k = 10 > 6: everyone is selected, every selection rate is 1.
  const all = measureFairness(SIX, 10, 3);
  assert.equal(all.effectiveK, 6);
  assert.deepEqual(
    all.groups.map((g) => [g.selectionRate, g.topKShare]),
    [
      [1, 0.5],
      [1, 0.5],
    ],
  );
  assert.equal(all.demographicParityDifference, 0);
  assert.equal(all.disparateImpactRatio, 1);
  assert.equal(all.fourFifthsRulePassed, true);
  assert.ok(all.notes.some((n) => n.includes('exceeds the pool size')));

  // k = 0: every rate is 0 → parity difference 0, but the ratio 0/0 is undefined.
  const none = measureFairness(SIX, 0, 3);
  assert.equal(none.demographicParityDifference, 0);
  assert.equal(none.disparateImpactRatio, null);
  assert.equal(none.fourFifthsRulePassed, null);
  assert.deepEqual(
    none.groups.map((g) => g.topKShare),
    [0, 0],
  );
});

test('building blocks', () => {
  assert.equal(dcgDiscount(1), 1);
  assert.equal(dcgDiscount(3), 0.5); // 1 / log2 4
  close(dcgDiscount(7), 1 / 3); // 1 / log2 8
  assert.throws(() => dcgDiscount(0), RangeError);

  const rates = selectionRates(SIX, 3);
  assert.deepEqual([...rates.keys()], ['f', 'm']);
  close(rates.get('f'), 1 / 3);
  close(exposureByGroup(SIX).get('m'), 0.5059275203);
  assert.deepEqual(outcomeRatesByGroup(SIX, 3).get('f'), { truePositiveRate: 0.5, falsePositiveRate: 0 });

  close(demographicParity([0.2, 0.5, 0.3]), 0.3); // 0.5 − 0.2
  assert.equal(disparateImpact([0.4, 0.5]), 0.8); // exactly at the four-fifths line
  assert.equal(disparateImpact([0, 0]), null);
  assert.equal(demographicParity([0.4]), null);
  close(
    exposureRatio(
      new Map([
        ['a', 0.25],
        ['b', 0.5],
      ]),
    ),
    0.5,
  );
  // Groups without qualified (or unqualified) members carry null and are skipped.
  assert.equal(equalOpportunity([0.5, null, 0.75]), 0.25);
  assert.equal(equalOpportunity([0.5, null]), null);
  assert.equal(equalizedOdds([0.5, 0.75], [0.1, 0.5]), 0.4); // max(0.25, 0.4)
  assert.equal(equalizedOdds([0.5, 0.75], [0.1, null]), null); // FPR half undefined
});

test('rejects a negative or fractional k and a minGroupSize below 1', () => {
  assert.throws(() => measureFairness(SIX, -1), BadUserInputError);
  assert.throws(() => measureFairness(SIX, 1.5), BadUserInputError);
  assert.throws(
    () => measureFairness(SIX, 3, 0),
    (e: unknown) => e instanceof BadUserInputError && e.code === 'BAD_USER_INPUT',
  );
});
