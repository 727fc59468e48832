import assert from 'node:assert/strict';
import { test } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { CircuitBreaker, type BreakerState } from '../../../src/graph/circuitBreaker.js';

test('opens on an outage, probes, and closes by itself once the dependency answers', async () => {
  let up = false;
  let probes = 0;
  const changes: BreakerState[] = [];
  const breaker = new CircuitBreaker({
    probeIntervalMs: 5,
    probe: () => {
      probes += 1;
      return up ? Promise.resolve() : Promise.reject(new Error('down'));
    },
    onChange: (s) => changes.push(s),
  });
  assert.equal(breaker.isOpen, false);
  breaker.recordUnavailable();
  breaker.recordUnavailable();
  assert.equal(breaker.isOpen, true);
  while (probes < 3) await sleep(5);
  assert.equal(breaker.isOpen, true, 'stays open while probes fail');
  up = true;
  while (breaker.isOpen) await sleep(5);
  assert.deepEqual(changes, ['open', 'closed']);
  breaker.dispose();
  breaker.recordUnavailable();
  assert.equal(breaker.isOpen, false, 'a disposed breaker no longer opens');
});

test('a stalled call triggers one health check; a hung dependency opens the breaker and releases the waiting calls', async () => {
  let probes = 0;
  const breaker = new CircuitBreaker({
    probeIntervalMs: 1000,
    probeTimeoutMs: 10,
    stallMs: 5,
    probe: () => {
      probes += 1;
      return new Promise<void>(() => undefined); // a frozen server: never answers
    },
  });
  const hung = new Promise<number>(() => undefined);
  const calls = [breaker.guard(hung), breaker.guard(hung), breaker.guard(hung)];
  const outcomes = await Promise.allSettled(calls);
  assert.deepEqual(
    outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).name : 'fulfilled')),
    ['BreakerOpenError', 'BreakerOpenError', 'BreakerOpenError'],
  );
  assert.equal(probes, 1, 'concurrent stalls share one health check');
  assert.equal(breaker.isOpen, true);
  await assert.rejects(breaker.guard(Promise.resolve(1)), { name: 'BreakerOpenError' });
  breaker.dispose();
});

test('a slow call on a healthy dependency passes the health check and completes', async () => {
  let probes = 0;
  const breaker = new CircuitBreaker({
    probeIntervalMs: 1000,
    stallMs: 1,
    probe: () => {
      probes += 1;
      return Promise.resolve();
    },
  });
  const slow = sleep(30).then(() => 'done');
  assert.equal(await breaker.guard(slow), 'done');
  assert.equal(probes, 1);
  assert.equal(breaker.isOpen, false);
  assert.equal(await breaker.check(), true);
  await assert.rejects(breaker.guard(Promise.reject(new Error('boom'))), /boom/);
  breaker.dispose();
});
