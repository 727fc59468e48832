/**
 * Bounded work per request (#15 item 7), the pure parts: queued work leaves the semaphore when
 * its request is aborted, the request scope's signal and retrieve count, the static retrieve
 * budget, the per-caller cap, and the retry-after of execution-time errors.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { test } from 'vitest';
import { LimitError } from '../../../src/errors.js';
import { executeWithDeadline } from '../../../src/http/steps/deadline.js';
import { CallerConcurrency } from '../../../src/http/steps/callerConcurrency.js';
import { Refusal } from '../../../src/http/steps/reply.js';
import { retryAfterMsOf } from '../../../src/http/retryAfterPlugin.js';
import {
  ClientClosedError,
  chargeRetrieved,
  openRequestScope,
  requestSignal,
} from '../../../src/requestScope.js';
import { checkRetrieveBudget, staticRetrieve } from '../../../src/security/retrieveBudget.js';
import type { Principal } from '../../../src/security/principal.js';
import { createSemaphore } from '../../../src/semaphore.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('an aborted waiter leaves the queue at once and never runs; the running task finishes', async () => {
  const semaphore = createSemaphore(1);
  let release!: () => void;
  const running = semaphore.use(() => new Promise<string>((r) => (release = () => r('done'))));
  const controller = new AbortController();
  let ran = 0;
  const queued = Array.from({ length: 5 }, () =>
    semaphore.use(
      () => {
        ran += 1;
        return Promise.resolve();
      },
      1,
      controller.signal,
    ),
  );
  await tick();
  assert.equal(semaphore.waiting(), 5);
  const reason = new Error('request timed out');
  controller.abort(reason);
  for (const q of queued) await assert.rejects(q, (e) => e === reason);
  assert.equal(semaphore.waiting(), 0);
  release();
  assert.equal(await running, 'done');
  assert.equal(ran, 0);
  assert.equal(semaphore.active(), 0);
  // An already-aborted signal is refused before it queues.
  await assert.rejects(
    semaphore.use(() => Promise.resolve(), 1, controller.signal),
    (e) => e === reason,
  );
});

test('a waiter of another request is not affected by an abort', async () => {
  const semaphore = createSemaphore(1);
  let release!: () => void;
  const running = semaphore.use(() => new Promise<void>((r) => (release = r)));
  const a = new AbortController();
  const dropped = semaphore.use(() => Promise.resolve('a'), 1, a.signal);
  const kept = semaphore.use(() => Promise.resolve('b'), 1, new AbortController().signal);
  a.abort(new Error('gone'));
  await assert.rejects(dropped);
  release();
  await running;
  assert.equal(await kept, 'b');
});

test('the request scope carries its signal and sums its retrievals', async () => {
  assert.equal(requestSignal(), undefined);
  assert.equal(chargeRetrieved(10), 0, 'outside a request nothing is counted');
  const scope = openRequestScope(1_000);
  await scope.run(async () => {
    assert.equal(requestSignal(), scope.signal);
    await tick();
    assert.equal(chargeRetrieved(500), 500);
    assert.equal(chargeRetrieved(700), 1200);
  });
  scope.abort(new ClientClosedError());
  assert.ok(scope.signal.reason instanceof ClientClosedError);
});

test('the deadline aborts the request signal with its TIMEOUT; a client that goes away aborts it with ClientClosedError', async () => {
  let seen: AbortSignal | undefined;
  const answer = await executeWithDeadline(50, async () => {
    seen = requestSignal();
    await new Promise((r) => setTimeout(r, 400));
    return 'late';
  });
  assert.ok(answer instanceof Refusal);
  assert.equal(answer.error.code, 'TIMEOUT');
  assert.ok(seen?.aborted);
  assert.ok(seen.reason instanceof LimitError);
  assert.equal(seen.reason.code, 'TIMEOUT');

  const res = Object.assign(new EventEmitter(), { writableFinished: false }) as unknown as ServerResponse;
  let closedSignal: AbortSignal | undefined;
  const done = executeWithDeadline(
    5_000,
    async () => {
      closedSignal = requestSignal();
      await new Promise((r) => setTimeout(r, 30));
      return 'ok';
    },
    res,
  );
  await tick();
  res.emit('close');
  assert.equal(await done, 'ok');
  assert.ok(closedSignal?.reason instanceof ClientClosedError);
});

function operationOf(query: string): { doc: ReturnType<typeof parse>; op: OperationDefinitionNode } {
  const doc = parse(query);
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  return { doc, op };
}

const aliased = (n: number, options: string): string =>
  `{ ${Array.from({ length: n }, (_, i) => `r${i}: rankCandidates(vacancyId: "v", k: 1${options}) { totalCount }`).join(' ')} }`;

test('static retrieve: retrieveN (default 500) from two sources per aliased ranking, literal or variable', () => {
  const literal = operationOf(aliased(30, ', options: { retrieveN: 2000, rerankM: 0 }'));
  assert.equal(staticRetrieve(literal.doc, literal.op, {}), 30 * 2 * 2000);
  const defaults = operationOf(aliased(3, ''));
  assert.equal(staticRetrieve(defaults.doc, defaults.op, {}), 3 * 2 * 500);
  const variable = operationOf(
    'query($o: RankingOptions, $n: Int) { a: rankCandidates(vacancyId: "v", options: $o) { totalCount } b: rankVacancies(candidateId: "c", options: { retrieveN: $n }) { totalCount } }',
  );
  assert.equal(
    staticRetrieve(variable.doc, variable.op, { o: { retrieveN: 100 }, n: 300 }),
    2 * 100 + 2 * 300,
  );
  // A fragment spread twice and the same response key twice run once.
  const fragments = operationOf(
    '{ ...F ...F a: rankCandidates(vacancyId: "v") { totalCount } } fragment F on Query { a: rankCandidates(vacancyId: "v") { totalCount } b: rankCandidates(vacancyId: "w") { totalCount } }',
  );
  assert.equal(staticRetrieve(fragments.doc, fragments.op, {}), 2 * 2 * 500);
});

test('checkRetrieveBudget refuses the probe shape with QUERY_TOO_COMPLEX naming the limit', () => {
  const { doc, op } = operationOf(aliased(30, ', options: { retrieveN: 2000, rerankM: 0 }'));
  assert.throws(
    () => checkRetrieveBudget(doc, op, {}, 40_000),
    (e: unknown) =>
      e instanceof LimitError &&
      e.code === 'QUERY_TOO_COMPLEX' &&
      e.details?.['limit'] === 'maxRequestRetrieve' &&
      e.details['actual'] === 120_000,
  );
  const small = operationOf(aliased(30, ''));
  assert.doesNotThrow(() => checkRetrieveBudget(small.doc, small.op, {}, 40_000));
});

test('per-caller cap: the caller over the cap gets SERVICE_OVERLOADED with retry-after; others and freed slots pass', () => {
  const cap = new CallerConcurrency(2);
  const key: Principal = {
    kind: 'apiKey',
    id: 'k1',
    role: 'RECRUITER',
    organization: 'o',
  } as unknown as Principal;
  const other: Principal = {
    kind: 'apiKey',
    id: 'k2',
    role: 'RECRUITER',
    organization: 'o',
  } as unknown as Principal;
  const anonymous = { kind: 'anonymous', id: 'anonymous' } as unknown as Principal;
  const responses = [
    new EventEmitter(),
    new EventEmitter(),
    new EventEmitter(),
  ] as unknown as ServerResponse[];
  assert.equal(cap.admit(key, '1.1.1.1', responses[0]!), undefined);
  assert.equal(cap.admit(key, '2.2.2.2', responses[1]!), undefined);
  const refused = cap.admit(key, '3.3.3.3', responses[2]!);
  assert.ok(refused instanceof Refusal);
  assert.equal(refused.error.code, 'SERVICE_OVERLOADED');
  assert.equal(refused.error.details?.['resource'], 'callerConcurrency');
  assert.equal(refused.headers['retry-after'], '1');
  assert.equal(cap.admit(other, '1.1.1.1', new EventEmitter() as unknown as ServerResponse), undefined);
  assert.equal(cap.admit(anonymous, '1.1.1.1', new EventEmitter() as unknown as ServerResponse), undefined);
  (responses[0] as unknown as EventEmitter).emit('close');
  assert.equal(cap.count(key, ''), 1);
  assert.equal(cap.admit(key, '1.1.1.1', new EventEmitter() as unknown as ServerResponse), undefined);
});

test('retry-after of execution-time errors: the longest details.retryAfterMs', () => {
  assert.equal(retryAfterMsOf(undefined), undefined);
  assert.equal(retryAfterMsOf([{ message: 'x', extensions: { code: 'NOT_FOUND' } }]), undefined);
  assert.equal(
    retryAfterMsOf([
      { message: 'a', extensions: { code: 'SERVICE_UNAVAILABLE', details: { retryAfterMs: 1000 } } },
      { message: 'b', extensions: { code: 'SERVICE_OVERLOADED', details: { retryAfterMs: 2500 } } },
    ]),
    2500,
  );
});
