/**
 * The projection's float32 emulation (src/graph/ranking/vectorArithmetic.ts) against an exact
 * reference: doubles are dyadic rationals, so their sum is exact in BigInt arithmetic and can be
 * rounded to float32 (round half to even) without any floating-point step. `roundSum` must agree
 * on every input, above all on the rare sums whose double lands exactly half-way between two
 * float32 values (where rounding twice goes wrong). The match with Neo4j itself is checked by
 * the candidate-projection e2e; this checks the arithmetic alone.
 */
import { describe, expect, test } from 'vitest';
import {
  databaseCosine,
  luceneDot,
  normalizeLikeDatabase,
  roundSum,
  type MultiplyAdd,
} from '../../src/graph/ranking/vectorArithmetic.js';
import { seededRandom } from '../support/random.js';

/** x = mantissa · 2^exponent exactly (x finite). */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return biased === 0
    ? { mantissa: sign * fraction, exponent: -1074 }
    : { mantissa: sign * (fraction | (1n << 52n)), exponent: biased - 1075 };
}

/** The float32 nearest to the exact a + b (ties to even), by integer arithmetic only. */
function exactSumToFloat32(a: number, b: number): number {
  const x = decompose(a);
  const y = decompose(b);
  const e = Math.min(x.exponent, y.exponent);
  const sum = (x.mantissa << BigInt(x.exponent - e)) + (y.mantissa << BigInt(y.exponent - e));
  if (sum === 0n) return 0;
  const negative = sum < 0n;
  const magnitude = negative ? -sum : sum;
  const bits = magnitude.toString(2).length;
  // 24 significant bits, and never below float32's smallest subnormal (2^-149).
  const shift = Math.max(bits - 24, -149 - e);
  let q: bigint;
  if (shift <= 0) {
    q = magnitude << BigInt(-shift);
  } else {
    q = magnitude >> BigInt(shift);
    const rest = magnitude - (q << BigInt(shift));
    const half = 1n << BigInt(shift - 1);
    if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
  }
  const value = Number(q) * 2 ** (e + shift);
  return negative ? -value : value;
}

const f32 = Math.fround;

describe('roundSum', () => {
  test('the reference itself: exact on sums that need no rounding, ties to even', () => {
    expect(exactSumToFloat32(1, 2)).toBe(3);
    expect(exactSumToFloat32(0.5, -0.25)).toBe(0.25);
    // 1 + 2^-24 is half-way between 1 and 1 + 2^-23: ties to the even one, 1.
    expect(exactSumToFloat32(1, 2 ** -24)).toBe(1);
    // 1 + 3·2^-24 is half-way between 1 + 2^-23 and 1 + 2^-22: the even one is 1 + 2^-22.
    expect(exactSumToFloat32(1, 3 * 2 ** -24)).toBe(1 + 2 ** -22);
  });

  test('agrees with the exact sum on 200,000 products and accumulators like a dot product', () => {
    const next = seededRandom(42);
    let mismatches = 0;
    for (let i = 0; i < 200_000; i++) {
      // An exact product of two float32 values (as in both multiply-add forms) and a float32 sum.
      const product = f32(next() - 0.5) * f32((next() - 0.5) * 0.2);
      const acc = f32((next() - 0.5) * 2 ** -Math.floor(next() * 12));
      if (roundSum(product, acc) !== exactSumToFloat32(product, acc)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  test('the half-way cases, where a plain double sum then fround rounds wrongly', () => {
    const next = seededRandom(7);
    let wrongByDoubleRounding = 0;
    for (let i = 0; i < 20_000; i++) {
      // r + half an ulp, nudged by far less than a double can hold at that size: the double
      // sum rounds to the exact half-way point, the exact sum lies on one side of it.
      const r = f32(1 + next());
      const ulp = 2 ** -23;
      const nudge = (next() < 0.5 ? -1 : 1) * ulp * 2 ** -40 * (1 + next());
      const a = r;
      const b = ulp / 2 + nudge;
      const expected = exactSumToFloat32(a, b);
      if (f32(a + b) !== expected) wrongByDoubleRounding++;
      expect(roundSum(a, b)).toBe(expected);
      expect(roundSum(b, a)).toBe(expected);
    }
    // The cases are real: rounding twice gets a share of them wrong.
    expect(wrongByDoubleRounding).toBeGreaterThan(1000);
  });
});

/** Lucene's loop written out with the exact reference sum (the structure, not the speed). */
function referenceDot(a: Float32Array, b: Float32Array, mode: MultiplyAdd): number {
  const product = (i: number) => (mode === 'plain' ? f32(a[i]! * b[i]!) : a[i]! * b[i]!);
  let res = 0;
  let i = 0;
  if (a.length > 32) {
    const acc = [0, 0, 0, 0];
    for (; i < (a.length & ~3); i += 4)
      for (let j = 0; j < 4; j++) acc[j] = exactSumToFloat32(product(i + j), acc[j]!);
    res = exactSumToFloat32(
      res,
      exactSumToFloat32(exactSumToFloat32(exactSumToFloat32(acc[0]!, acc[1]!), acc[2]!), acc[3]!),
    );
  }
  for (; i < a.length; i++) res = exactSumToFloat32(product(i), res);
  return res;
}

describe('luceneDot and databaseCosine', () => {
  const next = seededRandom(3);
  const vectorOf = (n: number) => Float32Array.from({ length: n }, () => next() - 0.5);

  test.each([
    [384, 'fma'],
    [384, 'plain'],
    [35, 'fma'],
    [16, 'plain'],
  ] as const)('length %i, %s: the reference loop, value for value', (length, mode) => {
    for (let k = 0; k < 20; k++) {
      const a = normalizeLikeDatabase(vectorOf(length))!;
      const b = normalizeLikeDatabase(vectorOf(length))!;
      expect(luceneDot(a, b, mode)).toBe(referenceDot(a, b, mode));
    }
  });

  test('the two multiply-add forms differ on some vectors (the calibration has something to tell apart)', () => {
    let differ = 0;
    for (let k = 0; k < 200; k++) {
      const a = normalizeLikeDatabase(vectorOf(384))!;
      const b = normalizeLikeDatabase(vectorOf(384))!;
      if (luceneDot(a, b, 'fma') !== luceneDot(a, b, 'plain')) differ++;
    }
    expect(differ).toBeGreaterThan(0);
  });

  test('cosine: (1 + dot) / 2 in float32, clamped at 0; null for unequal lengths or zero vectors', () => {
    const a = normalizeLikeDatabase(Float32Array.from([3, 4]))!;
    expect(Array.from(a)).toEqual([f32(0.6), f32(0.8)]);
    expect(databaseCosine(a, a, 'fma')).toBe(f32((1 + luceneDot(a, a, 'fma')) / 2));
    const opposite = normalizeLikeDatabase(Float32Array.from([-3, -4]))!;
    expect(databaseCosine(a, opposite, 'fma')).toBe(0);
    expect(databaseCosine(a, normalizeLikeDatabase(Float32Array.from([1, 2, 3]))!, 'fma')).toBeNull();
    expect(normalizeLikeDatabase(Float32Array.from([0, 0]))).toBeNull();
    expect(normalizeLikeDatabase([1, Number.NaN])).toBeNull();
  });
});
