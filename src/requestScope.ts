/**
 * The request a piece of work belongs to, carried through async calls (AsyncLocalStorage, the
 * same mechanism OpenTelemetry uses for its context). It holds only the request's deadline, so
 * that every Neo4j transaction a request opens, however deep in a service, gets at most the
 * time the request has left (see `Neo4jGateway`). Work outside a request (start-up, imports,
 * background embedding) has no deadline.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestScope {
  /** Epoch milliseconds after which the request's work is abandoned. */
  readonly deadline: number;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs `work` with a deadline `timeoutMs` from now. */
export function runWithDeadline<T>(timeoutMs: number, work: () => T): T {
  return storage.run({ deadline: Date.now() + timeoutMs }, work);
}

/** Milliseconds the current request has left; undefined outside a request. */
export function remainingMs(): number | undefined {
  const scope = storage.getStore();
  return scope === undefined ? undefined : scope.deadline - Date.now();
}
