import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
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
  DEFAULT_FAIRNESS_STATISTICS,
  measureFairnessPrivately,
  type FairnessItem,
  type FairnessStatistics,
} from '../../src/ranking/fairness.js';
import {
  bonferroniPairs,
  fisherExactTest,
  meanDifferenceTest,
  newcombeDifferenceInterval,
  normalUpperTail,
  ratioInterval,
  wilsonInterval,
} from '../../src/ranking/statistics.js';

const close = (actual: number | null | undefined, expected: number, message?: string): void => {
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) < 1e-9,
    `${message ?? ''} ${actual} ≉ ${expected}`,
  );
};

/** No statistical minimum: the arithmetic tests below work on groups of three. */
const LOOSE: FairnessStatistics = { minPoolCount: 1, minExpectedCount: 0, significanceLevel: 0.05 };

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
  const report = measureFairness(SIX, 3, 3, LOOSE);
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
  // 0.5 < 0.8, but 1 of 3 against 2 of 3 is what chance gives (Fisher p = 1): neither passed nor failed.
  assert.equal(report.fourFifthsRulePassed, null);
  assert.equal(report.figures.find((f) => f.name === 'disparateImpact')?.status, 'NO_SIGNIFICANT_DISPARITY');
  assert.ok(report.notes.some((n) => n.includes('neither passed nor failed')));
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
  const report = measureFairness(pool, 3, 3, LOOSE);
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
  const report = measureFairness(pool, 2, 2, LOOSE);
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
  const all = measureFairness(SIX, 10, 3, LOOSE);
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
  const none = measureFairness(SIX, 0, 3, LOOSE);
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

describe('statistics of the fairness figures (known values)', () => {
  test('Wilson intervals of 0/20 and 5/20; empty group', () => {
    const zero = wilsonInterval(0, 20);
    assert.equal(zero?.lower, 0);
    close(zero?.upper, 0.16112515805281938); // z²/n / (1 + z²/n) with z = 1.96, n = 20
    const five = wilsonInterval(5, 20);
    close(five?.lower, 0.11186170140766569);
    close(five?.upper, 0.468700877618744);
    assert.equal(wilsonInterval(0, 0), null);
    assert.throws(() => wilsonInterval(3, 2), RangeError);
  });

  test("Fisher's exact test: the tea-tasting table and a one-sided extreme", () => {
    close(fisherExactTest(3, 1, 1, 3), 34 / 70); // (1 + 16 + 16 + 1) / 70, two-sided
    // 10 of 10 selected in one group, 0 of 10 in the other: p = 2 / C(20, 10).
    close(fisherExactTest(10, 0, 0, 10), 2 / 184756);
    close(fisherExactTest(2, 2, 2, 2), 1);
  });

  test('difference and ratio intervals, normal tail, Bonferroni, mean-difference test', () => {
    // Newcombe (1998), Table II, example (a): 56/70 − 48/80 = 0.2, method 10 interval [0.0524, 0.3339].
    const d = newcombeDifferenceInterval(56, 70, 48, 80);
    assert.ok(d && Math.abs(d.lower - 0.0524) < 1e-4 && Math.abs(d.upper - 0.3339) < 1e-4, JSON.stringify(d));
    // Ratio 5/100 over 10/100 = 0.5; Katz: exp(ln 0.5 ± 1.96·sqrt(1/5 − 1/100 + 1/10 − 1/100)) = [0.1772, 1.4105].
    const r = ratioInterval(5, 100, 10, 100);
    assert.ok(r && Math.abs(r.lower - 0.1772) < 1e-4 && Math.abs(r.upper - 1.4105) < 1e-4, JSON.stringify(r));
    assert.ok((ratioInterval(0, 20, 10, 100)?.upper ?? 0) > 0); // zero count: Haldane-corrected, finite
    assert.ok(Math.abs(normalUpperTail(1.959963984540054) - 0.025) < 1e-7, 'P(Z > 1.96)'); // approximation: 1.2e-7 relative
    assert.ok(Math.abs(normalUpperTail(0) - 0.5) < 1e-7);
    assert.equal(bonferroniPairs(0.02, 3), 0.06); // 3 pairs
    assert.equal(bonferroniPairs(0.6, 3), 1);
    assert.equal(meanDifferenceTest([1, 1], [1, 1]), null); // no variation
    const p = meanDifferenceTest([1, 0.9, 0.8, 0.7], [0.1, 0.2, 0.1, 0.2]);
    assert.ok(p !== null && p < 0.05, String(p));
  });
});

/** A pool of `size` in ranked order: groups given as [name, pool count, top-k count], top k first. */
function poolOf(k: number, spec: ReadonlyArray<readonly [string, number, number]>): FairnessItem[] {
  const head: FairnessItem[] = [];
  const tail: FairnessItem[] = [];
  for (const [group, count, inTop] of spec) {
    for (let i = 0; i < count; i += 1) (i < inTop ? head : tail).push(item(`${group}-${i}`, group));
  }
  assert.equal(head.length, k);
  return [...head, ...tail];
}

describe('figures a reader can trust', () => {
  test('small groups with 0 of the top 20 are insufficient data, not a failed four-fifths rule', () => {
    // The rankings of issue 16: 500 in the pool, nonbinary and undisclosed (11–27 each) get 0 of 20.
    const pool = poolOf(20, [
      ['female', 228, 11],
      ['male', 245, 9],
      ['nonbinary', 14, 0],
      ['undisclosed', 13, 0],
    ]);
    const report = measureFairness(pool, 20);
    assert.deepEqual(report.statistics, DEFAULT_FAIRNESS_STATISTICS);
    // The old figure over every reported group: 0 / max = 0, a "fail" on a handful of people.
    assert.equal(disparateImpact(report.groups.map((g) => g.selectionRate)), 0);
    const impact = report.figures.find((f) => f.name === 'disparateImpact');
    assert.ok(impact);
    assert.deepEqual(impact.groupsCompared, ['female', 'male']);
    assert.deepEqual(impact.groupsLeftOut, [
      { group: 'nonbinary', reason: 'SMALL_GROUP' },
      { group: 'undisclosed', reason: 'SMALL_GROUP' },
    ]);
    close(impact.value, 9 / 245 / (11 / 228));
    assert.equal(impact.status, 'NO_SIGNIFICANT_DISPARITY');
    assert.ok((impact.pValue ?? 0) > 0.05);
    assert.ok(impact.interval && impact.interval.lower < 1 && impact.interval.upper > 1);
    assert.equal(report.fourFifthsRulePassed, null, '0.76 < 0.8 by a gap chance explains: null, not false');
    assert.ok(impact.note.includes('fewer than 30 pool members'));
    // Each group still shows its counts with an interval: 0 of 14 is compatible with up to 23 %.
    const nonbinary = report.groups.find((g) => g.group === 'nonbinary');
    assert.equal(nonbinary?.topKCount, 0);
    close(nonbinary?.expectedTopKCount, (14 * 20) / 500);
    assert.ok((nonbinary?.selectionRateInterval?.upper ?? 0) > 0.2);
  });

  test('below the minimums every between-group figure is INSUFFICIENT_DATA with null values', () => {
    // k = 5 from a pool of 100: 2.5 expected per group, below 5.
    const pool = poolOf(5, [
      ['a', 50, 0],
      ['b', 50, 5],
    ]);
    const report = measureFairness(pool, 5);
    for (const name of ['demographicParity', 'disparateImpact'] as const) {
      const figure = report.figures.find((f) => f.name === name);
      assert.equal(figure?.status, 'INSUFFICIENT_DATA');
      assert.equal(figure?.value, null);
      assert.deepEqual(
        figure?.groupsLeftOut.map((l) => l.reason),
        ['FEW_EXPECTED', 'FEW_EXPECTED'],
      );
    }
    assert.equal(report.disparateImpactRatio, null);
    assert.equal(report.demographicParityDifference, null);
    assert.equal(report.fourFifthsRulePassed, null);
    assert.ok(report.notes.some((n) => n.includes('insufficient data (null, not a failure)')));
    // Outcomes: none known, so the error-rate figures are insufficient too.
    assert.equal(report.figures.find((f) => f.name === 'equalOpportunity')?.status, 'INSUFFICIENT_DATA');
    assert.equal(report.figures.find((f) => f.name === 'equalizedOdds')?.status, 'INSUFFICIENT_DATA');
    // Exposure is over the whole pool and needs pool members only: 50 and 50 are enough.
    const exposure = report.figures.find((f) => f.name === 'exposure');
    assert.equal(exposure?.status, 'NO_SIGNIFICANT_DISPARITY');
    assert.ok(exposure?.value !== null && exposure?.pValue !== null);
  });

  test('a real, large disparity still fails the four-fifths rule, with a small p-value', () => {
    const pool = poolOf(50, [
      ['female', 200, 5],
      ['male', 200, 45],
    ]);
    const report = measureFairness(pool, 50);
    const impact = report.figures.find((f) => f.name === 'disparateImpact');
    close(report.disparateImpactRatio, 5 / 45);
    assert.equal(impact?.status, 'SIGNIFICANT_DISPARITY');
    assert.ok((impact?.pValue ?? 1) < 0.001);
    assert.ok((impact?.interval?.upper ?? 1) < 0.8, 'the whole interval is below 0.8');
    assert.equal(report.fourFifthsRulePassed, false);
    const parity = report.figures.find((f) => f.name === 'demographicParity');
    close(parity?.value, 0.2); // 45/200 − 5/200
    assert.ok((parity?.interval?.lower ?? 0) > 0);
  });

  test('equal opportunity and equalized odds follow the same rules on known outcomes', () => {
    // 80 qualified and 80 unqualified per group; k = 60. Group "a": 40 qualified selected, 10
    // unqualified; "b": 5 qualified, 5 unqualified. Order: selected first.
    const items: FairnessItem[] = [];
    const add = (group: string, n: number, qualified: boolean) => {
      for (let i = 0; i < n; i += 1)
        items.push(item(`${group}-${qualified}-${items.length}`, group, qualified));
    };
    add('a', 40, true);
    add('a', 10, false);
    add('b', 5, true);
    add('b', 5, false);
    add('a', 40, true);
    add('a', 70, false);
    add('b', 75, true);
    add('b', 75, false);
    const report = measureFairness(items, 60);
    const eo = report.figures.find((f) => f.name === 'equalOpportunity');
    close(eo?.value, 40 / 80 - 5 / 80);
    assert.equal(eo?.status, 'SIGNIFICANT_DISPARITY');
    close(report.equalOpportunityDifference, 40 / 80 - 5 / 80);
    const odds = report.figures.find((f) => f.name === 'equalizedOdds');
    assert.equal(odds?.status, 'SIGNIFICANT_DISPARITY');
    close(odds?.value, Math.max(35 / 80, 10 / 80 - 5 / 80));
    // The same outcomes on 10 people per group: insufficient, not a verdict.
    const few = measureFairness(items.slice(0, 60), 20);
    assert.equal(few.figures.find((f) => f.name === 'equalOpportunity')?.status, 'INSUFFICIENT_DATA');
    assert.equal(few.equalOpportunityDifference, null);
  });

  test('withheld reports (privacy) mark every figure WITHHELD; settings are validated', () => {
    const pool = [
      ...poolOf(20, [
        ['a', 100, 10],
        ['b', 100, 10],
      ]),
      item('z', 'rare'),
    ];
    const r = measureFairnessPrivately(pool, 20, 5);
    assert.equal(r.figures.length, 5);
    assert.ok(
      r.figures.every((f) => f.status === 'WITHHELD' && f.value === null && f.groupsCompared.length === 0),
    );
    assert.throws(() => measureFairness(SIX, 3, 3, { ...LOOSE, minPoolCount: 0 }), BadUserInputError);
    assert.throws(() => measureFairness(SIX, 3, 3, { ...LOOSE, significanceLevel: 1 }), BadUserInputError);
  });
});
