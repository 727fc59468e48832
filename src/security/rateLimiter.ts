/**
 * Token-bucket rate limiting. A bucket holds up to `burst` tokens and refills at `perSecond`;
 * each request takes one token (a batch takes one per operation). The store is an interface so
 * that several API processes can share buckets (e.g. a Redis implementation running the same
 * arithmetic in a script); the in-process store is the default and is bounded in size.
 */
export interface BucketRule {
  readonly perSecond: number;
  readonly burst: number;
}

export interface TakeResult {
  readonly allowed: boolean;
  /** Tokens left after this take. */
  readonly remaining: number;
  /** When refused: how long until `cost` tokens are available. */
  readonly retryAfterMs: number;
}

export interface RateLimitStore {
  take(key: string, cost: number, rule: BucketRule, nowMs: number): Promise<TakeResult>;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Pure refill-and-take arithmetic, shared by every store. */
export function takeFromBucket(
  bucket: Bucket | undefined,
  cost: number,
  rule: BucketRule,
  nowMs: number,
): { bucket: Bucket; result: TakeResult } {
  const elapsedS = bucket ? Math.max(0, nowMs - bucket.updatedMs) / 1000 : 0;
  const tokens = bucket ? Math.min(rule.burst, bucket.tokens + elapsedS * rule.perSecond) : rule.burst;
  if (tokens >= cost) {
    return {
      bucket: { tokens: tokens - cost, updatedMs: nowMs },
      result: { allowed: true, remaining: tokens - cost, retryAfterMs: 0 },
    };
  }
  const retryAfterMs =
    rule.perSecond > 0 ? Math.ceil(((cost - tokens) / rule.perSecond) * 1000) : Number.POSITIVE_INFINITY;
  return {
    bucket: { tokens, updatedMs: nowMs },
    result: { allowed: false, remaining: tokens, retryAfterMs },
  };
}

/**
 * Buckets in a Map, least recently used first; beyond `maxKeys` the oldest are dropped (a dropped
 * bucket comes back full, which only ever favours a caller idle long enough to be evicted).
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly maxKeys = 100_000) {}

  get size(): number {
    return this.buckets.size;
  }

  take(key: string, cost: number, rule: BucketRule, nowMs: number): Promise<TakeResult> {
    const previous = this.buckets.get(key);
    const { bucket, result } = takeFromBucket(previous, cost, rule, nowMs);
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    while (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest === undefined) break;
      this.buckets.delete(oldest);
    }
    return Promise.resolve(result);
  }
}

/**
 * Failed authentications per client IP: 10 at once, then one every 5 s. While the bucket is empty
 * every request with credentials from that IP is refused before they are checked, so guessing
 * learns nothing there; a valid caller behind the same address waits as long (hence
 * `TRUST_PROXY` behind a proxy, so that clients are told apart).
 */
export const AUTH_FAILURE_RULE: BucketRule = { perSecond: 0.2, burst: 10 };

export interface RateLimiterOptions {
  readonly key: BucketRule;
  readonly ip: BucketRule;
  /** Failed authentications per IP (`AUTH_FAILURE_RULE` when omitted; `perSecond` 0: off). */
  readonly authFailure?: BucketRule;
  readonly store?: RateLimitStore;
  readonly now?: () => number;
}

/**
 * Authenticated callers are limited per credential (key id / token subject), anonymous callers
 * per client IP, failed authentications per client IP in a bucket of their own. A rule with
 * `perSecond` 0 is off.
 */
export class RateLimiter {
  private readonly store: RateLimitStore;
  private readonly now: () => number;
  constructor(private readonly options: RateLimiterOptions) {
    this.store = options.store ?? new MemoryRateLimitStore();
    this.now = options.now ?? Date.now;
  }

  async takeForKey(principalId: string, cost = 1): Promise<TakeResult & { limit: string }> {
    return { ...(await this.takeFrom(`key:${principalId}`, cost, this.options.key)), limit: 'perKey' };
  }

  async takeForIp(ip: string, cost = 1): Promise<TakeResult & { limit: string }> {
    return { ...(await this.takeFrom(`ip:${ip}`, cost, this.options.ip)), limit: 'perIp' };
  }

  /** Charges one failed authentication to `ip`. */
  async takeForFailedAuth(ip: string): Promise<TakeResult & { limit: string }> {
    return { ...(await this.takeFrom(`auth:${ip}`, 1, this.authFailureRule)), limit: 'authFailuresPerIp' };
  }

  /**
   * Whether `ip` may still try credentials: refused (with when to retry) once its failed
   * authentications used up the bucket. Reading takes nothing (a take of 0 tokens refills and
   * reports what is left).
   */
  async mayAttemptAuth(ip: string): Promise<TakeResult & { limit: string }> {
    const rule = this.authFailureRule;
    const left = await this.takeFrom(`auth:${ip}`, 0, rule);
    const allowed = left.remaining >= 1;
    return {
      allowed,
      remaining: left.remaining,
      retryAfterMs: allowed ? 0 : Math.ceil(((1 - left.remaining) / rule.perSecond) * 1000),
      limit: 'authFailuresPerIp',
    };
  }

  private get authFailureRule(): BucketRule {
    return this.options.authFailure ?? AUTH_FAILURE_RULE;
  }

  private takeFrom(key: string, cost: number, rule: BucketRule): Promise<TakeResult> {
    if (rule.perSecond <= 0)
      return Promise.resolve({ allowed: true, remaining: Number.POSITIVE_INFINITY, retryAfterMs: 0 });
    return this.store.take(key, cost, rule, this.now());
  }
}
