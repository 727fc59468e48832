/**
 * Dynamic batching: texts of similar token length share a batch, so padding
 * (computed but thrown away) stays small, and each batch is padded only to its
 * own longest member.
 */
import type { Int64Tensor } from './sessionProtocol.js';
import type { TokenizedText } from './textTokenizer.js';

export interface BatchLimits {
  /** Rows per model run. */
  readonly maxBatchSize: number;
  /** Rows × padded length per run, so a batch of long texts does not need the memory of `maxBatchSize` of them. */
  readonly maxBatchTokens: number;
}

/**
 * Groups the indices of `lengths` into batches, shortest texts first. Every
 * index appears exactly once; a text longer than `maxBatchTokens` runs alone.
 */
export function planBatches(lengths: readonly number[], limits: BatchLimits): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a]! - lengths[b]! || a - b);
  const batches: number[][] = [];
  let current: number[] = [];
  for (const index of order) {
    // Sorted ascending, so this text sets the padded length of the batch it joins.
    const padded = lengths[index]!;
    if (
      current.length > 0 &&
      (current.length >= limits.maxBatchSize || (current.length + 1) * padded > limits.maxBatchTokens)
    ) {
      batches.push(current);
      current = [];
    }
    current.push(index);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Model inputs for one batch, right-padded to its longest row. */
export interface PackedBatch {
  readonly rows: number;
  readonly seqLen: number;
  readonly lengths: number[];
  readonly inputIds: BigInt64Array;
  readonly attentionMask: BigInt64Array;
  readonly tokenTypeIds: BigInt64Array;
}

export function packBatch(texts: readonly TokenizedText[], padId: number): PackedBatch {
  const lengths = texts.map((t) => t.ids.length);
  const seqLen = Math.max(...lengths);
  const inputIds = new BigInt64Array(texts.length * seqLen).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(texts.length * seqLen);
  const tokenTypeIds = new BigInt64Array(texts.length * seqLen);
  texts.forEach((text, row) => {
    const offset = row * seqLen;
    text.ids.forEach((id, t) => {
      inputIds[offset + t] = BigInt(id);
      attentionMask[offset + t] = 1n;
      tokenTypeIds[offset + t] = BigInt(text.typeIds[t] ?? 0);
    });
  });
  return { rows: texts.length, seqLen, lengths, inputIds, attentionMask, tokenTypeIds };
}

/**
 * Runs `task` on every batch, `concurrency` at a time. Each batch is packed
 * only when a slot frees up, so embedding 200k texts never holds all their
 * input tensors at once. After a batch fails (e.g. its request was aborted),
 * no further batch starts.
 */
export async function forEachBatch<T>(
  batches: readonly T[],
  concurrency: number,
  task: (batch: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (next < batches.length && !failed) {
      const batch = batches[next]!;
      next += 1;
      try {
        await task(batch);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
}

/** The model inputs of a packed batch; token type ids only for models that take them. */
export function batchFeeds(batch: PackedBatch, usesTokenTypes: boolean): Record<string, Int64Tensor> {
  const dims = [batch.rows, batch.seqLen];
  return {
    input_ids: { data: batch.inputIds, dims },
    attention_mask: { data: batch.attentionMask, dims },
    ...(usesTokenTypes ? { token_type_ids: { data: batch.tokenTypeIds, dims } } : {}),
  };
}
