import assert from 'node:assert/strict';
import { test } from 'vitest';
import {
  averagePrecisionAtK,
  demographicParityDifference,
  disparateImpactRatio,
  equalizedOddsDifference,
  equalOpportunityDifference,
  errAtK,
  evaluateRun,
  exposureRatio,
  hitAtK,
  mean,
  ndcgAtK,
  precisionAtK,
  recallAtK,
  reciprocalRankAtK,
  rPrecision,
  type Judgements,
} from '../../src/eval/metrics.js';
import { demographicParity } from '../../src/ranking/fairness.js';

const close = (actual: number, expected: number, message = ''): void => {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${message} ${actual} ≉ ${expected}`);
};
const judged = (entries: Record<string, number>): Judgements => new Map(Object.entries(entries));

// Binary example: ranked a b c d e; relevant a, c, e and z (z never retrieved), R = 4.
const RANKED = ['a', 'b', 'c', 'd', 'e'];
const BINARY = judged({ a: 1, b: 0, c: 1, e: 1, z: 1 });

test('precision, recall, hit and reciprocal rank', () => {
  assert.equal(precisionAtK(RANKED, BINARY, 5), 3 / 5); // a, c, e
  assert.equal(precisionAtK(RANKED, BINARY, 10), 3 / 10); // short list: still divided by k
  assert.equal(recallAtK(RANKED, BINARY, 5), 3 / 4);
  assert.equal(recallAtK(RANKED, BINARY, 2), 1 / 4);
  assert.equal(hitAtK(['b', 'd'], BINARY, 2), 0);
  assert.equal(hitAtK(['b', 'd', 'c'], BINARY, 3), 1);
  assert.equal(reciprocalRankAtK(['x', 'y', 'a'], BINARY, 3), 1 / 3);
  assert.equal(reciprocalRankAtK(['x', 'y', 'a'], BINARY, 2), 0);
  // A repeated id counts once: [a, a, b] has one relevant result in the top 2.
  assert.equal(precisionAtK(['a', 'a', 'b'], BINARY, 2), 1 / 2);
  assert.throws(() => precisionAtK(RANKED, BINARY, 0), RangeError);
});

test('average precision at k divides by min(k, R)', () => {
  // Relevant at ranks 1, 3, 5: P@1 = 1, P@3 = 2/3, P@5 = 3/5.
  // AP@5 = (1 + 2/3 + 3/5) / min(5, 4) = (34/15) / 4 = 17/30
  close(averagePrecisionAtK(RANKED, BINARY, 5), 17 / 30);
  // AP@3 = (1 + 2/3) / min(3, 4) = (5/3) / 3 = 5/9
  close(averagePrecisionAtK(RANKED, BINARY, 3), 5 / 9);
  // A perfect top 2 with four relevant documents scores 1: (1 + 1) / min(2, 4).
  assert.equal(averagePrecisionAtK(['a', 'c'], BINARY, 2), 1);
  assert.equal(averagePrecisionAtK(RANKED, judged({ a: 0 }), 5), 0);
});

test('R-precision', () => {
  // R = 4: precision at 4 of a b c d = 2/4.
  assert.equal(rPrecision(RANKED, BINARY), 0.5);
  assert.equal(rPrecision(RANKED, judged({})), 0);
});

test('nDCG@6 on the textbook grades [3, 2, 3, 0, 1, 2] with gain 2^rel − 1', () => {
  /*
   * gains 2^rel − 1: 7, 3, 7, 0, 1, 3; discounts 1/log2(1+i): 1, .6309297536, .5, .4306765581,
   * .3868528072, .3562071871.
   * DCG  = 7 + 3(.6309297536) + 7(.5) + 0 + 1(.3868528072) + 3(.3562071871)
   *      = 7 + 1.8927892607 + 3.5 + .3868528072 + 1.0686215613 = 13.8482636293
   * ideal grades 3, 3, 2, 2, 1, 0 → gains 7, 7, 3, 3, 1, 0:
   * IDCG = 7 + 7(.6309297536) + 3(.5) + 3(.4306765581) + 1(.3868528072) + 0
   *      = 7 + 4.4165082750 + 1.5 + 1.2920296742 + .3868528072 = 14.5953907565
   * nDCG = 13.8482636293 / 14.5953907565 = .9488107486
   * (With linear gains the same list gives the often-quoted 6.8611 / 7.1410 = .961.)
   */
  const ranked = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'];
  const grades = judged({ d1: 3, d2: 2, d3: 3, d4: 0, d5: 1, d6: 2 });
  close(ndcgAtK(ranked, grades, 6), 0.9488107486, 'nDCG@6');
  // nDCG@1: 7 / 7 = 1; nDCG@2: (7 + 3(.6309297536)) / (7 + 7(.6309297536)) = 8.8927892607 / 11.4165082751
  assert.equal(ndcgAtK(ranked, grades, 1), 1);
  close(ndcgAtK(ranked, grades, 2), 8.8927892607 / 11.4165082751, 'nDCG@2');
  // The ideal includes judged documents the ranking missed: add d7 (grade 3), never retrieved.
  // ideal grades 3, 3, 3, 2, 2, 1 → gains 7, 7, 7, 3, 3, 1:
  // IDCG = 7 + 4.4165082750 + 3.5 + 1.2920296742 + 1.1605584217 + .3562071871 = 17.7253035580
  // nDCG = 13.8482636293 / 17.7253035580 = .7812708868
  close(ndcgAtK(ranked, new Map([...grades, ['d7', 3]]), 6), 0.7812708868, 'with a missed document');
  assert.equal(ndcgAtK(ranked, judged({ x: 3 }), 3), 0);
  assert.equal(ndcgAtK(ranked, judged({}), 3), 0);
});

test('ERR on a three-result example', () => {
  /*
   * grades 2, 0, 1 with max grade 2: R = (2^g − 1) / 2^2 = 3/4, 0, 1/4.
   * ERR = 1·(3/4) + (1/2)·0·(1/4) + (1/3)·(1/4)·[(1 − 3/4)(1 − 0)]
   *     = 3/4 + 0 + (1/3)(1/4)(1/4) = 36/48 + 1/48 = 37/48 = .7708333
   */
  const ranked = ['x', 'y', 'z'];
  const grades = judged({ x: 2, y: 0, z: 1 });
  close(errAtK(ranked, grades, 3), 37 / 48, 'inferred max grade');
  close(errAtK(ranked, grades, 3, 2), 37 / 48, 'given max grade');
  // On a 0–3 scale: R = 3/8, 0, 1/8 → 3/8 + (1/3)(1/8)(5/8) = 3/8 + 5/192 = 77/192
  close(errAtK(ranked, grades, 3, 3), 77 / 192, 'max grade 3');
  close(errAtK(ranked, grades, 1), 3 / 4, 'ERR@1');
  assert.throws(() => errAtK(ranked, grades, 3, 1), RangeError); // grade 2 above the scale
  assert.equal(errAtK(ranked, judged({}), 3), 0);
});

test('evaluateRun averages judged queries, skips those without relevant documents', () => {
  const qrels = new Map<string, Judgements>([
    ['q1', judged({ a: 2, b: 0, c: 1 })], // relevant a, c (R = 2)
    ['q2', judged({ x: 0 })], // nothing relevant → skipped
    ['q3', judged({ m: 1 })], // relevant, but the run has no ranking → scored as empty
  ]);
  const run = new Map<string, string[]>([
    ['q1', ['b', 'a', 'c']],
    ['q4', ['z']], // unjudged → not scored
  ]);
  const evaluation = evaluateRun(run, qrels, [3, 1, 3]);
  assert.equal(evaluation.evaluatedQueries, 2);
  assert.equal(evaluation.skippedQueries, 1);
  assert.equal(evaluation.missingQueries, 1);
  assert.equal(evaluation.unjudgedQueries, 1);
  assert.equal(evaluation.maxGrade, 2);
  assert.deepEqual(
    evaluation.byK.map((m) => m.k),
    [3, 1],
  );
  /*
   * q1 @3, gains 0, 2, 1: P = 2/3, R = 1, hit 1, RR 1/2,
   *   AP = (1/2 + 2/3) / min(3, 2) = 7/12,
   *   nDCG = (3(.6309297536) + 1(.5)) / (3 + 1(.6309297536)) = 2.3927892607 / 3.6309297536 = .6590018048,
   *   ERR = (1/2)(3/4) + (1/3)(1/4)(1 − 3/4) = 3/8 + 1/48 = 19/48.
   * q3: all 0. Means are halves.
   */
  const at3 = evaluation.byK[0];
  assert.ok(at3);
  close(at3.precision, 1 / 3);
  close(at3.recall, 1 / 2);
  close(at3.hit, 1 / 2);
  close(at3.reciprocalRank, 1 / 4);
  close(at3.averagePrecision, 7 / 24);
  close(at3.ndcg, 0.6590018048 / 2);
  close(at3.err, 19 / 96);
  // q1 @1 = [b]: every metric 0.
  assert.deepEqual(evaluation.byK[1], {
    k: 1,
    precision: 0,
    recall: 0,
    hit: 0,
    reciprocalRank: 0,
    averagePrecision: 0,
    ndcg: 0,
    err: 0,
  });
  // R-precision: q1 P@2 of [b, a] = 1/2, q3 0 → 1/4.
  close(evaluation.rPrecision, 1 / 4);

  const nothing = evaluateRun(run, new Map([['q2', judged({ x: 0 })]]), [5]);
  assert.equal(nothing.evaluatedQueries, 0);
  assert.ok(Number.isNaN(nothing.byK[0]?.ndcg));
});

test('mean, and fairness metrics shared with src/ranking', () => {
  assert.equal(mean([1, 2, 3, 6]), 3);
  assert.ok(Number.isNaN(mean([])));
  assert.equal(demographicParityDifference, demographicParity, 'one implementation');
  close(demographicParityDifference([0.3, 0.6]) ?? Number.NaN, 0.3);
  assert.equal(disparateImpactRatio([0.3, 0.6]), 0.5);
  assert.equal(exposureRatio([0.5, 1]), 0.5);
  assert.equal(equalOpportunityDifference([0.5, null, 1]), 0.5);
  assert.equal(equalizedOddsDifference([0.5, 1], [0, 0.25]), 0.5);
});
