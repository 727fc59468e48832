/**
 * The request a piece of work belongs to, carried through async calls (AsyncLocalStorage, the
 * same mechanism OpenTelemetry uses for its context), so no service signature has to carry it:
 *
 * - its deadline: every Neo4j transaction a request opens, however deep in a service, gets at
 *   most the time the request has left (see `Neo4jGateway`);
 * - its `AbortSignal`, aborted when the deadline passes (reason: the request's TIMEOUT) or the
 *   client goes away (`ClientClosedError`): work still queued for a model session or a database
 *   lane is dropped instead of running for nobody (`src/semaphore.ts`);
 * - its share of the database: a semaphore on its concurrent transactions and a running count of
 *   the items its rankings retrieve (both limited by the gateway, which holds the settings);
 * - the time it spent in services (rankings), reported in its `server-timing` header.
 *
 * Work outside a request (start-up, imports, background embedding) has none of these.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';
import { createSemaphore, type Semaphore } from './semaphore.js';

/** The client closed the connection before its answer: logged, never sent (nobody is listening). */
export class ClientClosedError extends Error {
  constructor() {
    super('client closed request');
    this.name = 'ClientClosedError';
  }
}

interface RequestScope {
  /** Epoch milliseconds after which the request's work is abandoned. */
  readonly deadline: number;
  readonly signal: AbortSignal;
  /** Per-request transaction semaphore, made on first use with the gateway's permit count. */
  transactions: Semaphore | undefined;
  /** Items the request's retrievals have asked the database for so far. */
  retrieved: number;
  /** Milliseconds spent in named services (rankings), for the `server-timing` header. */
  readonly serviceMs: Map<string, number>;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Abort listeners one request's signal may hold before Node warns (see openRequestScope). */
const REQUEST_SIGNAL_LISTENERS = 1_000;

/** A request's scope from outside it: run work inside, abort it, read its figures. */
export interface RequestHandle {
  run<T>(work: () => T): T;
  abort(reason: Error): void;
  readonly signal: AbortSignal;
}

/** A scope with a deadline `timeoutMs` from now and its own abort controller. */
export function openRequestScope(timeoutMs: number): RequestHandle {
  const controller = new AbortController();
  // One waiter per queued piece of work listens (removed when it gets its turn): a request of 30
  // aliased fields legitimately waits in 30 places at once, which Node's default of 10 would call
  // a leak. The query analysis bounds the aliases (MAX_ALIASES, 30 by default, per operation of a
  // batch of at most MAX_BATCH), far below this.
  setMaxListeners(REQUEST_SIGNAL_LISTENERS, controller.signal);
  const scope: RequestScope = {
    deadline: Date.now() + timeoutMs,
    signal: controller.signal,
    transactions: undefined,
    retrieved: 0,
    serviceMs: new Map(),
  };
  return {
    run: (work) => storage.run(scope, work),
    abort: (reason) => {
      if (!controller.signal.aborted) controller.abort(reason);
    },
    signal: controller.signal,
  };
}

/**
 * Runs `work` outside any request (no deadline, signal, budget or service times): for work that
 * one request starts and others, or nobody, wait on, such as a read shared by many requests.
 */
export function outsideRequest<T>(work: () => T): T {
  return storage.exit(work);
}

/** Runs `work` with a deadline `timeoutMs` from now (and a signal nobody aborts). */
export function runWithDeadline<T>(timeoutMs: number, work: () => T): T {
  return openRequestScope(timeoutMs).run(work);
}

/** Milliseconds the current request has left; undefined outside a request. */
export function remainingMs(): number | undefined {
  const scope = storage.getStore();
  return scope === undefined ? undefined : scope.deadline - Date.now();
}

/** The current request's signal; undefined outside a request. */
export function requestSignal(): AbortSignal | undefined {
  return storage.getStore()?.signal;
}

/** The current request's transaction semaphore (`permits` on first use); undefined outside a request. */
export function requestTransactions(permits: number): Semaphore | undefined {
  const scope = storage.getStore();
  if (scope === undefined) return undefined;
  scope.transactions ??= createSemaphore(permits);
  return scope.transactions;
}

/**
 * Adds `items` to the current request's retrieval count and returns the new total (0 outside a
 * request, which has no budget).
 */
export function chargeRetrieved(items: number): number {
  const scope = storage.getStore();
  if (scope === undefined) return 0;
  scope.retrieved += items;
  return scope.retrieved;
}

/** Adds `ms` to the current request's time in service `name` (nothing outside a request). */
export function recordServiceTime(name: string, ms: number): void {
  const scope = storage.getStore();
  if (scope === undefined || !Number.isFinite(ms) || ms < 0) return;
  scope.serviceMs.set(name, (scope.serviceMs.get(name) ?? 0) + ms);
}

/** The current request's time per service so far (empty outside a request). */
export function serviceTimes(): ReadonlyMap<string, number> {
  return storage.getStore()?.serviceMs ?? new Map();
}
