/**
 * Pure vector maths on model outputs. Token outputs arrive row-major as
 * `[batch, sequence, dimension]`, right-padded, so a row's valid tokens are
 * its first `lengths[row]` positions. Sums run in float64 so pooling adds no
 * error beyond the model's own float32.
 */

/** Average of each row's valid token vectors (sentence-transformers' mean pooling). */
export function meanPool(
  hidden: Float32Array,
  lengths: readonly number[],
  seqLen: number,
  dim: number,
): Float32Array[] {
  return lengths.map((length, row) => {
    if (length < 1 || length > seqLen)
      throw new RangeError(`row ${row}: length ${length} outside 1..${seqLen}`);
    const sum = new Float64Array(dim);
    for (let t = 0; t < length; t += 1) {
      const offset = (row * seqLen + t) * dim;
      for (let k = 0; k < dim; k += 1) sum[k]! += hidden[offset + k]!;
    }
    const mean = new Float32Array(dim);
    for (let k = 0; k < dim; k += 1) mean[k] = sum[k]! / length;
    return mean;
  });
}

/** Each row's first token vector ([CLS] pooling, as BGE is trained). */
export function clsPool(hidden: Float32Array, rows: number, seqLen: number, dim: number): Float32Array[] {
  return Array.from({ length: rows }, (_, row) => hidden.slice(row * seqLen * dim, row * seqLen * dim + dim));
}

/** `vector / ‖vector‖₂`; a zero vector stays zero rather than becoming NaN. */
export function l2Normalize(vector: Float32Array): Float32Array {
  let squares = 0;
  for (const x of vector) squares += x * x;
  const norm = Math.sqrt(squares);
  if (norm === 0) return new Float32Array(vector);
  return vector.map((x) => x / norm);
}

export function sigmoid(logit: number): number {
  return 1 / (1 + Math.exp(-logit));
}
