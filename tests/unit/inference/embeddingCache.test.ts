import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'vitest';
import { openEmbeddingCache, type EmbeddingCache } from '../../../src/inference/embeddingCache.js';

const DIM = 4;
const vec = (...values: number[]): Float32Array => Float32Array.from(values);

describe('openEmbeddingCache', () => {
  let dir: string;
  const opened: EmbeddingCache[] = [];
  const open = async (namespace = 'model-a'): Promise<EmbeddingCache> => {
    const cache = await openEmbeddingCache(dir, namespace, DIM);
    opened.push(cache);
    return cache;
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tg-embcache-'));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
    await rm(dir, { recursive: true, force: true });
  });

  test('returns stored vectors bit for bit, and undefined for misses', async () => {
    const cache = await open();
    const tiny = vec(1e-38, -0, Number.MAX_VALUE, 0.1);
    await cache.put(['a', 'b'], 'passage', [vec(1, 2, 3, 4), tiny]);
    const [a, b, c] = await cache.get(['a', 'b', 'c'], 'passage');
    assert.deepEqual(a, vec(1, 2, 3, 4));
    assert.deepEqual(new Uint8Array(b!.buffer), new Uint8Array(tiny.buffer));
    assert.equal(c, undefined);
  });

  test('keys on kind and namespace as well as text', async () => {
    const cache = await open();
    await cache.put(['x'], 'query', [vec(1, 1, 1, 1)]);
    assert.deepEqual(await cache.get(['x'], 'passage'), [undefined]);
    const other = await open('model-b');
    assert.deepEqual(await other.get(['x'], 'query'), [undefined]);
  });

  test('survives a reopen (a restart)', async () => {
    const first = await open();
    const texts = Array.from({ length: 300 }, (_, i) => `label ${i}`);
    await first.put(
      texts,
      'passage',
      texts.map((_, i) => vec(i, i + 1, i + 2, i + 3)),
    );
    await first.close();
    opened.splice(opened.indexOf(first), 1);
    const second = await open();
    const got = await second.get(texts, 'passage');
    got.forEach((v, i) => assert.deepEqual(v, vec(i, i + 1, i + 2, i + 3)));
  });

  test('sees entries another process appended after it indexed', async () => {
    const reader = await open();
    const writer = await open();
    assert.deepEqual(await reader.get(['late'], 'passage'), [undefined]);
    await writer.put(['late'], 'passage', [vec(9, 8, 7, 6)]);
    assert.deepEqual(await reader.get(['late'], 'passage'), [vec(9, 8, 7, 6)]);
  });

  test('keeps the first vector stored for a key', async () => {
    const cache = await open();
    await cache.put(['dup'], 'passage', [vec(1, 1, 1, 1)]);
    await cache.put(['dup'], 'passage', [vec(2, 2, 2, 2)]);
    const fresh = await open();
    assert.deepEqual(await fresh.get(['dup'], 'passage'), [vec(1, 1, 1, 1)]);
  });

  test('never indexes a torn record, and writes after it into a new generation', async () => {
    const cache = await open();
    await cache.put(['whole'], 'passage', [vec(1, 2, 3, 4)]);
    const folder = path.join(dir, 'embeddings', 'model-a');
    const [segment] = await readdir(folder);
    // A crash mid-append leaves part of a record at the end of the file.
    await appendFile(path.join(folder, segment!), Buffer.alloc(7, 0xab));

    const after = await open();
    assert.deepEqual(await after.get(['whole'], 'passage'), [vec(1, 2, 3, 4)]);
    // 512 texts land in every one of the 16 shards (a miss has odds of (15/16)^512), the torn one included.
    const texts = Array.from({ length: 512 }, (_, i) => `t${i}`);
    await after.put(
      texts,
      'passage',
      texts.map(() => vec(5, 5, 5, 5)),
    );
    const reread = await open();
    const got = await reread.get(texts, 'passage');
    got.forEach((v) => assert.deepEqual(v, vec(5, 5, 5, 5)));
    const files = await readdir(folder);
    assert.ok(
      files.some((f) => f.endsWith('.1.vec')),
      `expected a second generation among ${files.join(', ')}`,
    );
  });

  test('rejects a vector of the wrong dimension', async () => {
    const cache = await open();
    await assert.rejects(cache.put(['x'], 'passage', [vec(1, 2)]), RangeError);
  });
});
