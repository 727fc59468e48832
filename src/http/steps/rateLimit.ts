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
  // Infinite when the bucket can never refill (a zero rate): the message then says so as
  // "Infinity"; the header and details carry an hour.
  const retryAfterS = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
  const perKey = taken.limit === 'perKey';
  return new Refusal(
    new LimitError(
      'RATE_LIMITED',
      `Rate limit exceeded (${perKey ? 'per credential' : 'per IP'}); retry in ${retryAfterS} s`,
      {
        limit: taken.limit,
        setting: perKey ? 'RATE_LIMIT_KEY_PER_S' : 'RATE_LIMIT_IP_PER_S',
        retryAfterMs: Number.isFinite(taken.retryAfterMs) ? taken.retryAfterMs : NEVER_MS,
      },
    ),
    { 'retry-after': String(Number.isFinite(retryAfterS) ? retryAfterS : NEVER_MS / 1000) },
  );
}
