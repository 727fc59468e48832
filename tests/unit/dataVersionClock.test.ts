/**
 * The data version clock (src/services/dataVersionClock.ts): which requests wait for a version
 * read, which share one, and what a write through this process does. A fake read (a promise the
 * test settles) and a fake clock; pure logic.
 */
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { DataVersionClock } from '../../src/services/dataVersionClock.js';

function setup(maxAgeMs: number) {
  let now = 0;
  let version = 1;
  const reads: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  const read = () =>
    new Promise<number>((resolve, reject) => {
      // What the database held when the read started (a later write is not in it).
      const seen = version;
      reads.push({ resolve: () => resolve(seen), reject });
    });
  const clock = new DataVersionClock(read, maxAgeMs, () => now);
  return {
    clock,
    reads,
    at: (t: number) => {
      now = t;
    },
    write: () => {
      version += 1;
    },
    /** Settles every read started so far, oldest first (or newest first). */
    answer: async (order: 'oldest' | 'newest' = 'oldest') => {
      const pending = reads.splice(0);
      for (const r of order === 'oldest' ? pending : pending.reverse()) r.resolve();
      await Promise.resolve();
    },
  };
}

test('0: every request reads the version (no sharing, nothing kept)', async () => {
  const s = setup(0);
  const a = s.clock.current();
  const b = s.clock.current();
  assert.equal(s.reads.length, 2, 'two requests, two reads');
  await s.answer();
  assert.deepEqual(await Promise.all([a, b]), [1, 1]);
  s.write();
  const c = s.clock.current();
  assert.equal(s.reads.length, 1);
  await s.answer();
  assert.equal(await c, 2, "another process's write: seen by the next request");
});

test('within the bound: no read; past half of it: answered at once and refreshed behind', async () => {
  const s = setup(100);
  const first = s.clock.current();
  await s.answer();
  assert.equal(await first, 1);
  s.at(40);
  assert.equal(await s.clock.current(), 1);
  assert.equal(s.reads.length, 0, 'young version: no read');
  s.write(); // by another process
  s.at(70);
  assert.equal(await s.clock.current(), 1, 'within the bound: the held version');
  assert.equal(s.reads.length, 1, 'older than half the bound: one refresh started');
  s.at(75);
  assert.equal(await s.clock.current(), 1);
  assert.equal(s.reads.length, 1, 'a refresh in flight is not started twice');
  await s.answer();
  s.at(80);
  assert.equal(await s.clock.current(), 2, 'the refreshed version');
});

test('past the bound: the request waits for a read that started after the bound, shared by others', async () => {
  const s = setup(100);
  const first = s.clock.current();
  await s.answer();
  await first;
  s.write();
  s.at(150);
  let settled = false;
  const a = s.clock.current().then((v) => {
    settled = true;
    return v;
  });
  const b = s.clock.current();
  await Promise.resolve();
  assert.equal(settled, false, 'too old: waits');
  assert.equal(s.reads.length, 1, 'the second request shares the read');
  await s.answer();
  assert.deepEqual(await Promise.all([a, b]), [2, 2]);
});

test('a read that started too long ago is not shared: a late request starts its own', async () => {
  const s = setup(100);
  const a = s.clock.current(); // read 1 starts at 0 and hangs
  s.write();
  s.at(120);
  const b = s.clock.current();
  assert.equal(s.reads.length, 2, 'read 1 started 120 ms before b: b reads again');
  await s.answer();
  assert.equal(await a, 1);
  assert.equal(await b, 2, 'the write before b arrived is in its answer');
});

test('a write through this process: the next request reads, and a read in flight before it answers nobody after', async () => {
  const s = setup(1_000);
  const first = s.clock.current();
  await s.answer();
  await first;
  s.at(600);
  const refreshing = s.clock.current(); // held version; a refresh starts behind
  assert.equal(s.reads.length, 1);
  s.write();
  s.clock.invalidate();
  const after = s.clock.current();
  assert.equal(s.reads.length, 2, 'the refresh started before the write is not joined');
  await s.answer('newest');
  assert.equal(await refreshing, 1);
  assert.equal(await after, 2);
  // The old refresh answered last, without the write: not kept.
  s.at(601);
  assert.equal(await s.clock.current(), 2);
  assert.equal(s.reads.length, 0, 'the read after the write is kept');
});

test('a failed read is not kept: the next request past the bound reads again', async () => {
  const s = setup(100);
  const a = s.clock.current();
  s.reads.shift()?.reject(new Error('database down'));
  await assert.rejects(a, /database down/);
  const b = s.clock.current();
  assert.equal(s.reads.length, 1, 'read again');
  await s.answer();
  assert.equal(await b, 1);
});
