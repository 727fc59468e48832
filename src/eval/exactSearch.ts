/**
 * Exact (brute-force) nearest-neighbour search over label vectors, grouped by concept: the score of
 * a concept is the best cosine of any of its labels. The evaluation uses it to compare embedding
 * models on equal terms without building a Neo4j vector index per model. Pure; vectors are unit
 * length (every catalog model L2-normalises), so a dot product is the cosine.
 */
import type { Scored } from '../ranking/rankFusion.js';

/** Queries scored together against each label row, so a row is read from memory once per block (the kernel below is written for 8). */
const QUERY_BLOCK = 8;

export class GroupedLabelIndex {
  readonly dimension: number;
  readonly size: number;
  private readonly matrix: Float32Array;
  private readonly groupOfRow: Uint32Array;
  private readonly groups: readonly string[];

  /** `vectors[i]` is the embedding of a label of concept `groupOf[i]`. */
  constructor(vectors: readonly Float32Array[], groupOf: readonly string[]) {
    if (vectors.length !== groupOf.length)
      throw new RangeError(`${vectors.length} vectors but ${groupOf.length} groups`);
    const first = vectors[0];
    if (!first) throw new RangeError('no label vectors');
    this.dimension = first.length;
    this.size = vectors.length;
    this.matrix = new Float32Array(this.size * this.dimension);
    const ids = new Map<string, number>();
    this.groupOfRow = new Uint32Array(this.size);
    vectors.forEach((v, i) => {
      if (v.length !== this.dimension)
        throw new RangeError(`vector ${i} has dimension ${v.length}, expected ${this.dimension}`);
      this.matrix.set(v, i * this.dimension);
      const group = groupOf[i]!;
      let id = ids.get(group);
      if (id === undefined) {
        id = ids.size;
        ids.set(group, id);
      }
      this.groupOfRow[i] = id;
    });
    this.groups = [...ids.keys()];
  }

  get groupCount(): number {
    return this.groups.length;
  }

  /** The `k` best concepts for each query, best first (ties by id). */
  search(queries: readonly Float32Array[], k: number): Scored[][] {
    const d = this.dimension;
    const m = this.matrix;
    const groupOfRow = this.groupOfRow;
    // Queries interleaved (column j of the block at j × QUERY_BLOCK), eight running sums per label row.
    const interleaved = new Float32Array(d * QUERY_BLOCK);
    const out: Scored[][] = [];
    for (let start = 0; start < queries.length; start += QUERY_BLOCK) {
      const block = queries.slice(start, start + QUERY_BLOCK);
      interleaved.fill(0);
      block.forEach((q, b) => {
        if (q.length !== d) throw new RangeError(`query has dimension ${q.length}, expected ${d}`);
        for (let j = 0; j < d; j += 1) interleaved[j * QUERY_BLOCK + b] = q[j]!;
      });
      const best = Array.from({ length: QUERY_BLOCK }, () =>
        new Float32Array(this.groups.length).fill(Number.NEGATIVE_INFINITY),
      );
      const [b0, b1, b2, b3, b4, b5, b6, b7] = best as [
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array,
        Float32Array,
      ];
      for (let row = 0; row < this.size; row += 1) {
        const base = row * d;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let s4 = 0;
        let s5 = 0;
        let s6 = 0;
        let s7 = 0;
        for (let j = 0; j < d; j += 1) {
          const x = m[base + j]!;
          const o = j * QUERY_BLOCK;
          s0 += x * interleaved[o]!;
          s1 += x * interleaved[o + 1]!;
          s2 += x * interleaved[o + 2]!;
          s3 += x * interleaved[o + 3]!;
          s4 += x * interleaved[o + 4]!;
          s5 += x * interleaved[o + 5]!;
          s6 += x * interleaved[o + 6]!;
          s7 += x * interleaved[o + 7]!;
        }
        const g = groupOfRow[row]!;
        if (s0 > b0[g]!) b0[g] = s0;
        if (s1 > b1[g]!) b1[g] = s1;
        if (s2 > b2[g]!) b2[g] = s2;
        if (s3 > b3[g]!) b3[g] = s3;
        if (s4 > b4[g]!) b4[g] = s4;
        if (s5 > b5[g]!) b5[g] = s5;
        if (s6 > b6[g]!) b6[g] = s6;
        if (s7 > b7[g]!) b7[g] = s7;
      }
      for (let b = 0; b < block.length; b += 1) out.push(topK(best[b]!, this.groups, k));
    }
    return out;
  }
}

/** The k highest entries of `scores` as (id, score), best first, ties by id. */
export function topK(scores: Float32Array, ids: readonly string[], k: number): Scored[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer ≥ 1 (got ${k})`);
  const heap: Array<{ i: number; s: number }> = [];
  const worse = (a: { i: number; s: number }, b: { i: number; s: number }) =>
    a.s < b.s || (a.s === b.s && ids[a.i]! > ids[b.i]!);
  // A bounded pool with its worst entry tracked; the worst is searched again only on a replacement.
  let worst = -1;
  const findWorst = () => {
    worst = 0;
    for (let h = 1; h < heap.length; h += 1) if (worse(heap[h]!, heap[worst]!)) worst = h;
  };
  for (let i = 0; i < scores.length; i += 1) {
    const s = scores[i]!;
    if (s === Number.NEGATIVE_INFINITY) continue;
    const item = { i, s };
    if (heap.length < k) {
      heap.push(item);
      if (heap.length === k) findWorst();
      continue;
    }
    if (worse(heap[worst]!, item)) {
      heap[worst] = item;
      findWorst();
    }
  }
  return heap
    .sort((a, b) => b.s - a.s || (ids[a.i]! < ids[b.i]! ? -1 : 1))
    .map(({ i, s }) => ({ id: ids[i]!, score: s }));
}
