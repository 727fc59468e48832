/**
 * A per-caller cap on requests in flight (MAX_IN_FLIGHT_PER_CALLER): per credential for
 * authenticated callers, per IP for anonymous ones. A caller already at the cap is refused with
 * 503 SERVICE_OVERLOADED (`details.resource: "callerConcurrency"`, `retry-after`) before any work
 * starts, so one caller cannot hold every connection, model session and Neo4j transaction. The
 * slot is given back when the response closes (answered, failed or abandoned by the client).
 */
import type { ServerResponse } from 'node:http';
import { OverloadedError } from '../../errors.js';
import type { Principal } from '../../security/principal.js';
import { Refusal } from './reply.js';

const RETRY_AFTER_MS = 1_000;

export class CallerConcurrency {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly maxPerCaller: number) {}

  /** Requests in flight for `principal`/`ip` (tests, diagnostics). */
  count(principal: Principal, ip: string): number {
    return this.inFlight.get(callerKey(principal, ip)) ?? 0;
  }

  /** Takes a slot until `res` closes, or refuses when the caller has none left. */
  admit(principal: Principal, ip: string, res: ServerResponse): Refusal | undefined {
    const key = callerKey(principal, ip);
    const current = this.inFlight.get(key) ?? 0;
    if (current >= this.maxPerCaller) {
      return new Refusal(
        new OverloadedError(
          `Too many requests in flight for this caller (at most ${this.maxPerCaller} at once); retry when one has finished`,
          {
            resource: 'callerConcurrency',
            limit: 'maxInFlightPerCaller',
            setting: 'MAX_IN_FLIGHT_PER_CALLER',
            max: this.maxPerCaller,
            retryAfterMs: RETRY_AFTER_MS,
          },
        ),
        { 'retry-after': String(Math.ceil(RETRY_AFTER_MS / 1000)) },
      );
    }
    this.inFlight.set(key, current + 1);
    res.once('close', () => {
      const left = (this.inFlight.get(key) ?? 1) - 1;
      if (left <= 0) this.inFlight.delete(key);
      else this.inFlight.set(key, left);
    });
    return undefined;
  }
}

function callerKey(principal: Principal, ip: string): string {
  return principal.kind === 'anonymous' ? `ip:${ip}` : `${principal.kind}:${principal.id}`;
}
