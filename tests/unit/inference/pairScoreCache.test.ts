/**
 * The cross-encoder's pair-score cache (pure logic around a counting stand-in for the model):
 * only unseen pairs reach the model, once each; another model never reuses a score; the cache
 * is bounded; a failed run stores nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { cachePairScores } from '../../../src/inference/pairScoreCache.js';
import type { Reranker, RerankerInfo } from '../../../src/inference/reranker.js';

function countingModel(info: Partial<RerankerInfo> = {}) {
  const runs: (readonly [string, string])[][] = [];
  let fail = false;
  const model: Reranker = {
    info: {
      name: 'm',
      source: 's',
      sha256: 'a',
      tokenizerSha256: 't',
      maxTokens: 512,
      device: 'cpu',
      ...info,
    },
    pending: () => 0,
    close: () => Promise.resolve(),
    score: (pairs) => {
      runs.push([...pairs]);
      if (fail) return Promise.reject(new Error('aborted'));
      return Promise.resolve(pairs.map(([q, p]) => (q.length * 31 + p.length) / 1000));
    },
  };
  return { model, runs, failNext: (v: boolean) => (fail = v) };
}

test('only pairs the model has not scored reach it, once each, and the answers keep their order', async () => {
  const { model, runs } = countingModel();
  const cached = cachePairScores(model, 100);
  const first = await cached.score([
    ['q', 'aa'],
    ['q', 'bbb'],
    ['q', 'aa'],
  ]);
  assert.deepEqual(runs, [
    [
      ['q', 'aa'],
      ['q', 'bbb'],
    ],
  ]);
  assert.deepEqual(first, [0.033, 0.034, 0.033]);
  const second = await cached.score([
    ['q', 'bbb'],
    ['q', 'cccc'],
    ['q', 'aa'],
  ]);
  assert.deepEqual(runs[1], [['q', 'cccc']]);
  assert.deepEqual(second, [0.034, 0.035, 0.033]);
  assert.deepEqual(cached.cacheStats(), { entries: 3, hits: 2, misses: 3 });
  await cached.score([['q', 'aa']]);
  assert.equal(runs.length, 2, 'all cached: no model run');
});

test('another model, tokenizer or token limit never reuses a score', async () => {
  const base = countingModel();
  const other = countingModel({ sha256: 'b' });
  const shorter = countingModel({ maxTokens: 256 });
  for (const m of [base, other, shorter]) await cachePairScores(m.model, 10).score([['q', 'p']]);
  assert.deepEqual([base.runs.length, other.runs.length, shorter.runs.length], [1, 1, 1]);
});

test('bounded: the least recently used pair is dropped; a failed run stores nothing', async () => {
  const { model, runs, failNext } = countingModel();
  const cached = cachePairScores(model, 2);
  await cached.score([['q', 'a']]);
  await cached.score([['q', 'b']]);
  await cached.score([['q', 'c']]);
  assert.equal(cached.cacheStats().entries, 2);
  await cached.score([['q', 'a']]);
  assert.equal(runs.length, 4, 'the oldest pair was evicted and ran again');
  failNext(true);
  await assert.rejects(cached.score([['q', 'z']]));
  failNext(false);
  await cached.score([['q', 'z']]);
  assert.deepEqual(runs.at(-1), [['q', 'z']]);
});
