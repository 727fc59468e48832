/**
 * Who is calling: an API key (`x-api-key`) or a bearer token, checked by the configured
 * authenticator; with no credentials configured, a local request without either acts as ADMIN
 * (local development). A failed authentication is refused with 401 UNAUTHENTICATED, never
 * downgraded to anonymous, and is charged to the caller's IP in a bucket of failed
 * authentications (`AUTH_FAILURE_RULE`); once it is empty, every request from that IP that carries
 * credentials gets 429 RATE_LIMITED with `retry-after` before they are checked, so a guess there
 * learns nothing, until the bucket refills.
 */
import type { IncomingMessage } from 'node:http';
import { UnauthenticatedError } from '../../errors.js';
import type { SecurityConfig } from '../../config.js';
import type { Principal } from '../../security/principal.js';
import type { RateLimiter } from '../../security/rateLimiter.js';
import { clientIp, isLocalRequest } from './clientAddress.js';
import { rateLimitRefusal } from './rateLimit.js';
import { Refusal } from './reply.js';

export type Authenticate = (credentials: {
  apiKey: string | undefined;
  authorization: string | undefined;
}) => Promise<Principal>;

export interface AuthenticationOptions {
  readonly authenticate: Authenticate;
  readonly anonymous: SecurityConfig['anonymous'];
  readonly trustProxy: boolean;
  readonly rateLimiter: RateLimiter;
}

const LOCAL_ADMIN: Principal = { kind: 'local', id: 'local', role: 'ADMIN', organizationId: null };

/** Resolves with the caller, or a refusal; rejects only when the authenticator fails unexpectedly. */
export async function authenticateRequest(
  req: IncomingMessage,
  options: AuthenticationOptions,
): Promise<Principal | Refusal> {
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const apiKey = header('x-api-key');
  const authorization = header('authorization');
  if (
    apiKey === undefined &&
    authorization === undefined &&
    options.anonymous === 'local-admin' &&
    isLocalRequest(req)
  ) {
    return LOCAL_ADMIN;
  }
  const ip = clientIp(req, options.trustProxy);
  if (apiKey !== undefined || authorization !== undefined) {
    const gate = await options.rateLimiter.mayAttemptAuth(ip);
    if (!gate.allowed) {
      req.resume();
      return rateLimitRefusal(
        'Too many failed authentications from this address',
        gate.limit,
        undefined,
        gate.retryAfterMs,
      );
    }
  }
  try {
    return await options.authenticate({ apiKey, authorization });
  } catch (error) {
    if (!(error instanceof UnauthenticatedError)) throw error;
    await options.rateLimiter.takeForFailedAuth(ip);
    // The body is not read: drain it so the connection can be reused.
    req.resume();
    return new Refusal(error);
  }
}
