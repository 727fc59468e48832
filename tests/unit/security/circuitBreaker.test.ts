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
