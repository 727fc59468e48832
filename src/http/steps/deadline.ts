/**
 * The request deadline (REQUEST_TIMEOUT_MS). The work runs in a request scope
 * (`openRequestScope`) whose deadline also bounds every Neo4j transaction it opens. When the
 * deadline passes, the scope's signal aborts with the request's TIMEOUT, so model runs and
 * database work still queued for it are dropped (a run already executing may finish); the
 * client is answered 504 TIMEOUT 250 ms after the deadline and the rest of the work is
 * abandoned (its eventual failure is swallowed, its result dropped). When the client goes away
 * first (`res` closes unanswered), the signal aborts with `ClientClosedError` the same way.
 */
import type { ServerResponse } from 'node:http';
import { LimitError } from '../../errors.js';
import { ClientClosedError, openRequestScope } from '../../requestScope.js';
import { Refusal } from './reply.js';

/** Time for the database's own timeout to surface as an error before the client is told TIMEOUT. */
const GRACE_MS = 250;

export class TimedOut extends Error {}

/** `promise`, or a rejection with `TimedOut` after `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function timeoutError(timeoutMs: number): LimitError {
  return new LimitError('TIMEOUT', `The request took longer than ${timeoutMs} ms and was abandoned`, {
    limit: 'requestTimeoutMs',
    setting: 'REQUEST_TIMEOUT_MS',
    max: timeoutMs,
  });
}

export async function executeWithDeadline<T>(
  timeoutMs: number,
  work: () => Promise<T>,
  res?: ServerResponse,
): Promise<T | Refusal> {
  const scope = openRequestScope(timeoutMs);
  const timeout = timeoutError(timeoutMs);
  const abortTimer = setTimeout(() => scope.abort(timeout), timeoutMs);
  const onClose = (): void => {
    if (!res?.writableFinished) scope.abort(new ClientClosedError());
  };
  res?.once('close', onClose);
  const execution = scope.run(work);
  try {
    return await withTimeout(execution, timeoutMs + GRACE_MS);
  } catch (error) {
    if (!(error instanceof TimedOut)) throw error;
    execution.catch(() => undefined);
    return new Refusal(timeout);
  } finally {
    clearTimeout(abortTimer);
    res?.off('close', onClose);
  }
}
