import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { forEachBatch, packBatch, planBatches } from '../../../src/inference/batching.js';

describe('planBatches', () => {
  const lengths = [9, 3, 7, 3, 12, 5, 4, 8];

  test('places every index exactly once, shortest first', () => {
    const batches = planBatches(lengths, { maxBatchSize: 3, maxBatchTokens: 1000 });
    assert.deepEqual(batches, [
      [1, 3, 6],
      [5, 2, 7],
      [0, 4],
    ]);
  });

  test('caps rows × padded length per batch', () => {
    // Padded length is the batch's longest; 2 × 9 = 18 fits 20, 3 × 9 would not.
    const batches = planBatches(lengths, { maxBatchSize: 8, maxBatchTokens: 20 });
    for (const batch of batches) {
      const padded = Math.max(...batch.map((i) => lengths[i]!));
      assert.ok(batch.length === 1 || batch.length * padded <= 20, `batch ${batch.join(',')} is too big`);
    }
    assert.deepEqual(
      batches.flat().sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
  });

  test('runs a text longer than the token cap on its own', () => {
    assert.deepEqual(planBatches([50, 2, 2], { maxBatchSize: 8, maxBatchTokens: 10 }), [[1, 2], [0]]);
  });

  test('returns no batches for no texts', () => {
    assert.deepEqual(planBatches([], { maxBatchSize: 8, maxBatchTokens: 10 }), []);
  });
});

describe('packBatch', () => {
  test('right-pads to the longest row with masks and segment ids', () => {
    const batch = packBatch(
      [
        { ids: [2, 5, 3], typeIds: [0, 0, 0] },
        { ids: [2, 5, 3, 8, 3], typeIds: [0, 0, 0, 1, 1] },
      ],
      0,
    );
    assert.equal(batch.rows, 2);
    assert.equal(batch.seqLen, 5);
    assert.deepEqual(batch.lengths, [3, 5]);
    assert.deepEqual(Array.from(batch.inputIds), [2n, 5n, 3n, 0n, 0n, 2n, 5n, 3n, 8n, 3n]);
    assert.deepEqual(Array.from(batch.attentionMask), [1n, 1n, 1n, 0n, 0n, 1n, 1n, 1n, 1n, 1n]);
    assert.deepEqual(Array.from(batch.tokenTypeIds), [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 1n, 1n]);
  });

  test('uses the tokenizer’s padding id', () => {
    const batch = packBatch(
      [
        { ids: [1], typeIds: [] },
        { ids: [1, 2], typeIds: [] },
      ],
      7,
    );
    assert.deepEqual(Array.from(batch.inputIds), [1n, 7n, 1n, 2n]);
  });
});

describe('forEachBatch', () => {
  test('runs every batch with at most `concurrency` in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachBatch([1, 2, 3, 4, 5], 2, async (batch) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(batch);
      inFlight -= 1;
    });
    assert.equal(peak, 2);
    assert.deepEqual(seen.sort(), [1, 2, 3, 4, 5]);
  });

  test('rejects when a batch fails', async () => {
    await assert.rejects(
      forEachBatch([1, 2], 1, (batch) =>
        batch === 2 ? Promise.reject(new Error('boom')) : Promise.resolve(),
      ),
      /boom/,
    );
  });
});
