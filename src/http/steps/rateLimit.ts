/**
 * Rate limits, charged one token per operation: per credential for authenticated callers, per
 * IP for anonymous ones. Over the limit: 429 RATE_LIMITED with `retry-after` in whole seconds
 * (at least 1; an hour when the bucket can never refill) and `details.retryAfterMs`.
 */
import { LimitError } from '../../errors.js';
import type { Principal } from '../../security/principal.js';
import type { RateLimiter } from '../../security/rateLimiter.js';
import { Refusal } from './reply.js';

const NEVER_MS = 3_600_000;

export async function takeRateLimit(
  rateLimiter: RateLimiter,
  principal: Principal,
  ip: string,
  operations: number,
): Promise<Refusal | undefined> {
  const taken =
    principal.kind === 'anonymous'
      ? await rateLimiter.takeForIp(ip, operations)
      : await rateLimiter.takeForKey(principal.id, operations);
  if (taken.allowed) return undefined;
  const perKey = taken.limit === 'perKey';
  return rateLimitRefusal(
    `Rate limit exceeded (${perKey ? 'per credential' : 'per IP'})`,
    taken.limit,
    perKey ? 'RATE_LIMIT_KEY_PER_S' : 'RATE_LIMIT_IP_PER_S',
    taken.retryAfterMs,
  );
}

/** 429 RATE_LIMITED for `limit`, with `retry-after` and `details.retryAfterMs`. */
export function rateLimitRefusal(
  reason: string,
  limit: string,
  setting: string | undefined,
  retryAfterMs: number,
): Refusal {
  // Infinite when the bucket can never refill (a zero rate): the message then says so as
  // "Infinity"; the header and details carry an hour.
  const retryAfterS = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new Refusal(
    new LimitError('RATE_LIMITED', `${reason}; retry in ${retryAfterS} s`, {
      limit,
      ...(setting ? { setting } : {}),
      retryAfterMs: Number.isFinite(retryAfterMs) ? retryAfterMs : NEVER_MS,
    }),
    { 'retry-after': String(Number.isFinite(retryAfterS) ? retryAfterS : NEVER_MS / 1000) },
  );
}
