import assert from 'node:assert/strict';
import { test } from 'vitest';
import { MemoryRateLimitStore, RateLimiter, takeFromBucket } from '../../../src/security/rateLimiter.js';

test('a bucket allows a burst, then refills at the configured rate', () => {
  const rule = { perSecond: 2, burst: 3 };
  let state = takeFromBucket(undefined, 1, rule, 0);
  assert.equal(state.result.remaining, 2);
  state = takeFromBucket(state.bucket, 2, rule, 0);
  assert.equal(state.result.allowed, true);
  const refused = takeFromBucket(state.bucket, 1, rule, 0);
  assert.equal(refused.result.allowed, false);
  assert.equal(refused.result.retryAfterMs, 500);
  const later = takeFromBucket(refused.bucket, 1, rule, 500);
  assert.equal(later.result.allowed, true);
  const full = takeFromBucket(later.bucket, 1, rule, 3_600_000);
  assert.equal(full.result.remaining, 2, 'refill stops at the burst size');
});

test('keys and IPs have separate buckets; a zero rate turns a limit off', async () => {
  let now = 0;
  const limiter = new RateLimiter({
    key: { perSecond: 1, burst: 2 },
    ip: { perSecond: 0, burst: 1 },
    now: () => now,
  });
  assert.equal((await limiter.takeForKey('a')).allowed, true);
  assert.equal((await limiter.takeForKey('a')).allowed, true);
  const refused = await limiter.takeForKey('a');
  assert.deepEqual([refused.allowed, refused.limit], [false, 'perKey']);
  assert.equal((await limiter.takeForKey('b')).allowed, true, 'another key has its own bucket');
  for (let i = 0; i < 100; i += 1) assert.equal((await limiter.takeForIp('1.2.3.4')).allowed, true);
  now = 1000;
  assert.equal((await limiter.takeForKey('a')).allowed, true);
  assert.equal((await limiter.takeForKey('a', 5)).allowed, false, 'a batch takes one token per operation');
});

test('the in-process store stays bounded, dropping the least recently used buckets', async () => {
  const store = new MemoryRateLimitStore(100);
  for (let i = 0; i < 1000; i += 1) await store.take(`k${i}`, 1, { perSecond: 1, burst: 1 }, 0);
  assert.equal(store.size, 100);
});
