/**
 * The database's cosine, computed in process bit for bit. Neo4j 5 (`vector.similarity.cosine`,
 * `VectorSimilarityFunctions.COSINE`) normalizes each vector in double precision and stores the
 * elements as float32 (`(float) (x * (1 / sqrt(Σx²)))`), then takes Lucene's float32 dot product
 * (`DefaultVectorUtilSupport.dotProduct`: four accumulators over blocks of four when the length
 * is over 32, then a scalar tail; each step a fused multiply-add where the JVM reports fast
 * scalar FMA, else a rounded multiply then a rounded add) and returns `max((1 + dot) / 2, 0)` in
 * float32. Which of the two multiply-add forms the server uses depends on its CPU and JVM, so the
 * projection checks both against the database (`ranking/projection-calibration`) and uses
 * one only where it reproduces every checked value exactly.
 *
 * float32 arithmetic is emulated in doubles: a product of two float32 values is exact in a double;
 * a sum is rounded once to double and once to float32, which is wrong only when the double lands
 * exactly half-way between two float32 values while the exact sum does not. `roundSum` detects
 * that case (TwoSum gives the exact error) and rounds toward the exact value.
 */

/** How one multiply-add step is rounded: `fma` = round(a·b + c) once; `plain` = round(round(a·b) + c). */
export type MultiplyAdd = 'fma' | 'plain';

const fround = Math.fround;

/** a + b (doubles whose exact sum is wanted) correctly rounded to float32. */
export function roundSum(a: number, b: number): number {
  const s = a + b;
  const r = fround(s);
  if (r === s) return r;
  // Double rounding can go wrong only when s lies exactly half-way between r and its other float32
  // neighbour (r + 2d), i.e. when that is a float32 too: almost never, so test that first.
  const d = s - r;
  const other = r + 2 * d;
  if (fround(other) !== other) return r;
  // TwoSum: the exact a + b is s + err; exactly half-way in doubles, it lies on err's side.
  const bb = s - a;
  const err = a - (s - bb) + (b - bb);
  if (err === 0) return r;
  return err > 0 === other > r ? other : r;
}

/** The float32 elements of `v` scaled to unit length the way the database does; null: zero or not finite. */
export function normalizeLikeDatabase(v: ArrayLike<number>): Float32Array | null {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  if (!(sum > 0) || !Number.isFinite(sum)) return null;
  const inv = 1 / Math.sqrt(sum);
  if (!Number.isFinite(inv)) return null;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = fround(v[i]! * inv);
    if (!Number.isFinite(x)) return null;
    out[i] = x;
  }
  return out;
}

/** Lucene 9's scalar float32 dot product of two vectors of equal length. */
export function luceneDot(a: Float32Array, b: Float32Array, mode: MultiplyAdd): number {
  // fma: the exact double product is added and rounded once; plain: the product is rounded first.
  // (Inline, not a helper closure: this runs ~800 times per ranking over 384 elements.)
  const plain = mode === 'plain';
  let res = 0;
  let i = 0;
  if (a.length > 32) {
    let acc1 = 0;
    let acc2 = 0;
    let acc3 = 0;
    let acc4 = 0;
    const upper = a.length & ~3;
    for (; i < upper; i += 4) {
      const p1 = a[i]! * b[i]!;
      const p2 = a[i + 1]! * b[i + 1]!;
      const p3 = a[i + 2]! * b[i + 2]!;
      const p4 = a[i + 3]! * b[i + 3]!;
      acc1 = roundSum(plain ? fround(p1) : p1, acc1);
      acc2 = roundSum(plain ? fround(p2) : p2, acc2);
      acc3 = roundSum(plain ? fround(p3) : p3, acc3);
      acc4 = roundSum(plain ? fround(p4) : p4, acc4);
    }
    res = roundSum(res, roundSum(roundSum(roundSum(acc1, acc2), acc3), acc4));
  }
  for (; i < a.length; i++) {
    const p = a[i]! * b[i]!;
    res = roundSum(plain ? fround(p) : p, res);
  }
  return res;
}

/**
 * `vector.similarity.cosine(a, b)` of two vectors already normalized by `normalizeLikeDatabase`;
 * null when the lengths differ.
 */
export function databaseCosine(a: Float32Array, b: Float32Array, mode: MultiplyAdd): number | null {
  if (a.length !== b.length) return null;
  // (1 + dot) / 2 in float32; halving a float32 is exact.
  return Math.max(roundSum(1, luceneDot(a, b, mode)) / 2, 0);
}
