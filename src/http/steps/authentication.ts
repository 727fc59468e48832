/**
 * Who is calling: an API key (`x-api-key`) or a bearer token, checked by the configured
 * authenticator; with no credentials configured, a local request without either acts as ADMIN
 * (local development). A failed authentication is refused with 401 UNAUTHENTICATED, never
 * downgraded to anonymous, and counts against the caller's IP limit, which slows key guessing.
 */
import type { IncomingMessage } from 'node:http';
import { UnauthenticatedError } from '../../errors.js';
import type { SecurityConfig } from '../../config.js';
import type { Principal } from '../../security/principal.js';
import type { RateLimiter } from '../../security/rateLimiter.js';
import { clientIp, isLocalRequest } from './clientAddress.js';
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
  try {
    return await options.authenticate({ apiKey, authorization });
  } catch (error) {
    await options.rateLimiter.takeForIp(clientIp(req, options.trustProxy));
    if (!(error instanceof UnauthenticatedError)) throw error;
    // The body is not read: drain it so the connection can be reused.
    req.resume();
    return new Refusal(error);
  }
}
