import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'vitest';
import { withEmbeddingCache, type Embedder, type EmbeddingKind } from '../../../src/inference/embedder.js';
import { openEmbeddingCache } from '../../../src/inference/embeddingCache.js';

/** A stand-in model that records what it was asked to embed. */
function fakeEmbedder(): Embedder & { calls: Array<{ texts: readonly string[]; kind: EmbeddingKind }> } {
  const calls: Array<{ texts: readonly string[]; kind: EmbeddingKind }> = [];
  return {
    calls,
    info: {
      name: 'fake',
      source: 'test',
      sha256: '0'.repeat(64),
      tokenizerSha256: '0'.repeat(64),
      dimension: 2,
      maxTokens: 8,
      pooling: 'mean',
      normalize: false,
      queryPrefix: '',
      passagePrefix: '',
      device: 'cpu',
    },
    embed(texts, kind) {
      calls.push({ texts, kind });
      return Promise.resolve(texts.map((t) => Float32Array.from([t.length, kind === 'query' ? 1 : 0])));
    },
    close: () => Promise.resolve(),
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tg-withcache-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

test('computes only texts it has not seen, once each, and keeps input order', async () => {
  const inner = fakeEmbedder();
  const embedder = withEmbeddingCache(inner, await openEmbeddingCache(dir, 'fake', 2));
  assert.deepEqual(
    (await embedder.embed(['aa', 'b', 'aa'], 'passage')).map((v) => Array.from(v)),
    [
      [2, 0],
      [1, 0],
      [2, 0],
    ],
  );
  assert.deepEqual(
    (await embedder.embed(['ccc', 'b'], 'passage')).map((v) => Array.from(v)),
    [
      [3, 0],
      [1, 0],
    ],
  );
  assert.deepEqual(await embedder.embed(['b'], 'query'), [Float32Array.from([1, 1])]);
  assert.deepEqual(inner.calls, [
    { texts: ['aa', 'b'], kind: 'passage' },
    { texts: ['ccc'], kind: 'passage' },
    { texts: ['b'], kind: 'query' },
  ]);
  await embedder.close();
});

test('a restarted embedder reads vectors back instead of recomputing', async () => {
  const first = withEmbeddingCache(fakeEmbedder(), await openEmbeddingCache(dir, 'fake', 2));
  const computed = await first.embed(['x', 'yy'], 'passage');
  await first.close();
  const inner = fakeEmbedder();
  const second = withEmbeddingCache(inner, await openEmbeddingCache(dir, 'fake', 2));
  assert.deepEqual(await second.embed(['yy', 'x'], 'passage'), [computed[1], computed[0]]);
  assert.deepEqual(inner.calls, []);
  await second.close();
});
