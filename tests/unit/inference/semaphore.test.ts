import assert from 'node:assert/strict';
import { test } from 'vitest';
import { createSemaphore } from '../../../src/semaphore.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('admits at most `permits` tasks, in arrival order', async () => {
  const semaphore = createSemaphore(2);
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const tasks = [0, 1, 2, 3, 4].map((n) =>
    semaphore.use(async () => {
      started.push(n);
      running += 1;
      peak = Math.max(peak, running);
      await tick();
      running -= 1;
      return n * 10;
    }),
  );
  assert.deepEqual(await Promise.all(tasks), [0, 10, 20, 30, 40]);
  assert.equal(peak, 2);
  assert.deepEqual(started, [0, 1, 2, 3, 4]);
});

test('releases the permit when a task throws', async () => {
  const semaphore = createSemaphore(1);
  await assert.rejects(
    semaphore.use(() => Promise.reject(new Error('boom'))),
    /boom/,
  );
  assert.equal(await semaphore.use(() => Promise.resolve('next')), 'next');
});

test('refuses a non-positive permit count', () => {
  assert.throws(() => createSemaphore(0), RangeError);
});

test('waiters of higher priority go first, arrival order within a priority', async () => {
  const semaphore = createSemaphore(1);
  const started: string[] = [];
  let releaseFirst: () => void = () => {};
  const first = semaphore.use(
    () =>
      new Promise<void>((resolve) => {
        started.push('running');
        releaseFirst = resolve;
      }),
    0,
  );
  const queued = [
    semaphore.use(() => Promise.resolve(void started.push('bg1')), 0),
    semaphore.use(() => Promise.resolve(void started.push('bg2')), 0),
    semaphore.use(() => Promise.resolve(void started.push('req1')), 1),
    semaphore.use(() => Promise.resolve(void started.push('bg3')), 0),
    semaphore.use(() => Promise.resolve(void started.push('req2')), 1),
  ];
  await tick();
  releaseFirst();
  await Promise.all([first, ...queued]);
  assert.deepEqual(started, ['running', 'req1', 'req2', 'bg1', 'bg2', 'bg3']);
});
