/** The process-wide taxonomy record cache (pure: a counting fetch stands in for the repository). */
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { TaxonomyRecordCache } from '../../src/graph/taxonomy/recordCache.js';
import type { SkillRecord } from '../../src/graph/taxonomy/records.js';

const skill = (uri: string) => ({ uri, preferredLabel: `label of ${uri}` }) as unknown as SkillRecord;

test('misses are fetched once, in one batch, in order; nulls are not kept', async () => {
  const cache = new TaxonomyRecordCache();
  const asked: string[][] = [];
  const fetch = (keys: readonly string[]) => {
    asked.push([...keys]);
    return Promise.resolve(keys.map((k) => (k === 'none' ? null : skill(k))));
  };
  const first = await cache.skillsByUri(['a', 'none', 'b', 'a'], fetch);
  assert.deepEqual(
    first.map((r) => r?.uri ?? null),
    ['a', null, 'b', 'a'],
  );
  assert.deepEqual(asked, [['a', 'none', 'b']]);
  const second = await cache.skillsByUri(['b', 'c', 'none', 'a'], fetch);
  assert.deepEqual(
    second.map((r) => r?.uri ?? null),
    ['b', 'c', null, 'a'],
  );
  assert.deepEqual(asked[1], ['c', 'none'], 'only what was not found before is asked again');
  assert.equal((await cache.skillsByUri(['a', 'b', 'c'], fetch)).length, 3);
  assert.equal(asked.length, 2, 'all hits: no read');
  cache.clear();
  await cache.skillsByUri(['a'], fetch);
  assert.deepEqual(asked[2], ['a']);
});

test('records expire after ttlMs', async () => {
  const cache = new TaxonomyRecordCache({ ttlMs: 1 });
  let reads = 0;
  const fetch = (keys: readonly string[]) => {
    reads += 1;
    return Promise.resolve(keys.map(skill));
  };
  await cache.skillsByUri(['a'], fetch);
  await new Promise((r) => setTimeout(r, 15));
  await cache.skillsByUri(['a'], fetch);
  assert.equal(reads, 2);
});
