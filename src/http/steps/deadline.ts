/**
 * The request deadline (REQUEST_TIMEOUT_MS). The work runs under `runWithDeadline`, which also
 * bounds every Neo4j transaction it opens; when the remaining work (e.g. a model run) outlasts
 * it, the client is answered 504 TIMEOUT 250 ms after the deadline and the work is abandoned
 * (its eventual failure is swallowed, its result dropped).
 */
import { LimitError } from '../../errors.js';
import { runWithDeadline } from '../../requestScope.js';
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

export async function executeWithDeadline<T>(
  timeoutMs: number,
  work: () => Promise<T>,
): Promise<T | Refusal> {
  const execution = runWithDeadline(timeoutMs, work);
  try {
    return await withTimeout(execution, timeoutMs + GRACE_MS);
  } catch (error) {
    if (!(error instanceof TimedOut)) throw error;
    execution.catch(() => undefined);
    return new Refusal(
      new LimitError('TIMEOUT', `The request took longer than ${timeoutMs} ms and was abandoned`, {
        limit: 'requestTimeoutMs',
        setting: 'REQUEST_TIMEOUT_MS',
        max: timeoutMs,
      }),
    );
  }
}
