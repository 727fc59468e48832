/**
 * The local Neo4j supervisor as pure logic, with fake processes: an unexpected exit restarts it
 * (same options), repeated failures give up with a reason, and stop() ends supervision.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'vitest';
import type { LocalNeo4jHandle, StartLocalNeo4jOptions } from '../../src/graph/localNeo4j.js';
import { superviseLocalNeo4j } from '../../src/graph/localNeo4jSupervisor.js';

interface FakeProcess extends LocalNeo4jHandle {
  crash(): void;
  stopped: boolean;
}

let nextPid = 100;
function fakeProcess(): FakeProcess {
  let exit: (code: number | null) => void = () => undefined;
  const exited = new Promise<number | null>((resolve) => (exit = resolve));
  const handle: FakeProcess = {
    uri: 'bolt://127.0.0.1:7999',
    pid: nextPid++,
    exited,
    stopped: false,
    crash: () => exit(null),
    stop: () => {
      handle.stopped = true;
      exit(143);
      return Promise.resolve();
    },
  };
  return handle;
}

const startOptions = {
  boltPort: 7999,
  dataDir: '/tmp/x',
  heapMb: 1,
  pageCacheMb: 1,
  readyTimeoutMs: 1,
} as StartLocalNeo4jOptions;
const quietLog = { error: () => undefined, info: () => undefined };

test('an unexpected exit starts Neo4j again with the same options', async () => {
  const first = fakeProcess();
  const started: FakeProcess[] = [];
  const seen: StartLocalNeo4jOptions[] = [];
  const supervisor = superviseLocalNeo4j(first, {
    start: (options) => {
      seen.push(options);
      const p = fakeProcess();
      started.push(p);
      return Promise.resolve(p);
    },
    startOptions,
    log: quietLog,
    backoffMs: [1],
  });
  first.crash();
  while (supervisor.restarts < 1) await sleep(2);
  assert.equal(supervisor.current, started[0]);
  assert.deepEqual(seen, [startOptions]);
  await supervisor.stop();
  assert.equal(started[0]?.stopped, true);
  assert.equal(started.length, 1, 'a stop is not an exit to recover from');
});

test('repeated failures give up with a reason naming the store', async () => {
  const first = fakeProcess();
  let attempts = 0;
  const supervisor = superviseLocalNeo4j(first, {
    start: () => {
      attempts += 1;
      return Promise.reject(new Error('port in use'));
    },
    startOptions,
    log: quietLog,
    backoffMs: [1, 1, 1],
    maxRestarts: 3,
  });
  first.crash();
  const reason = await supervisor.gaveUp;
  assert.equal(attempts, 3);
  assert.match(reason.message, /gave up after 3 restarts in a row \(store \/tmp\/x, port 7999\)/);
  await supervisor.stop();
});

test('a process that keeps crashing right after start counts toward giving up', async () => {
  const first = fakeProcess();
  const supervisor = superviseLocalNeo4j(first, {
    start: () => {
      const p = fakeProcess();
      setTimeout(() => p.crash(), 1);
      return Promise.resolve(p);
    },
    startOptions,
    log: quietLog,
    backoffMs: [1],
    maxRestarts: 2,
    stableMs: 60_000,
  });
  first.crash();
  const reason = await supervisor.gaveUp;
  assert.equal(supervisor.restarts, 2);
  assert.match(reason.message, /keeps exiting/);
  await supervisor.stop();
});
