/**
 * The data version clock (src/services/dataVersionClock.ts): which requests wait for a version
 * read, which share one, and what a write through this process does. A fake read (a promise the
 * test settles) and a fake clock; pure logic.
 */
import assert from 'node:assert/strict';
import { test } from 'vitest';
import { DataVersionClock } from '../../src/services/dataVersionClock.js';

// Each test's clock keeps the version fresh for 1 s after the last request (a timer per half bound).

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
  const timers: Array<{ fn: () => void; at: number; cancelled: boolean }> = [];
  const clock = new DataVersionClock(read, maxAgeMs, {
    now: () => now,
    keepFreshMs: 1_000,
    schedule: (fn, ms) => {
      const timer = { fn, at: now + ms, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
  });
  return {
    clock,
    reads,
    /** Timers not yet run nor cancelled. */
    pendingTimers: () => timers.filter((t) => !t.cancelled),
    /** Moves the clock to `t`, running the timers due by then in order; each read they start is answered at once. */
    runTo: async (t: number) => {
      for (;;) {
        const due = timers.filter((x) => !x.cancelled && x.at <= t).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        now = due.at;
        due.cancelled = true;
        due.fn();
        for (const r of reads.splice(0)) r.resolve();
        await new Promise((resolve) => setImmediate(resolve));
      }
      now = t;
    },
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

test('kept fresh while in use: a read every half bound in the background, none once idle', async () => {
  const s = setup(100);
  const first = s.clock.current();
  await s.answer();
  await first;
  s.write(); // by another process
  await s.runTo(60);
  assert.equal(s.reads.length, 0, 'half the bound later: a background read, answered');
  assert.equal(await s.clock.current(), 2, 'seen without waiting for a read');
  assert.equal(s.reads.length, 0);
  // A long pause between two requests (a ranking that takes longer than the bound): the version is
  // still fresh when the next one arrives.
  s.write();
  await s.runTo(940);
  assert.equal(await s.clock.current(), 3, 'the write 880 ms ago is seen');
  assert.equal(s.reads.length, 0, 'no read in the request');
  // Idle for longer than keepFreshMs: the timer stops; the next request reads.
  await s.runTo(5_000);
  assert.equal(s.pendingTimers().length, 0, 'no timer left when idle');
  const late = s.clock.current();
  assert.equal(s.reads.length, 1, 'idle: the request reads');
  await s.answer();
  assert.equal(await late, 3);
  assert.equal(s.pendingTimers().length, 1, 'ticking again');
  s.clock.stop();
  assert.equal(s.pendingTimers().length, 0, 'stop cancels the timer');
  await s.runTo(10_000);
  assert.equal(s.reads.length, 0, 'nothing read after stop');
});

test('0: no timer, no background read', async () => {
  const s = setup(0);
  const a = s.clock.current();
  await s.answer();
  await a;
  assert.equal(s.pendingTimers().length, 0);
});
