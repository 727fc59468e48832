/**
 * Authentication: API keys and JWT bearer tokens, each mapped to a role and an organization.
 *
 * API keys are configured as `API_KEYS="id:ROLE:organization:sha256hex, …"`: only the SHA-256 of
 * each key is stored. Keys are 256-bit random values (`npm run auth:key`), so a fast hash is
 * enough: there is nothing to brute-force that a slow hash would protect. Lookup is by hash, so
 * comparing secrets never happens byte by byte.
 *
 * JWTs are verified with `jose` against one key source (HS256 secret, a PEM public key, or a
 * JWKS URL), with issuer and audience checked when configured and `exp` required; the role and
 * organization come from configurable claims.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  createRemoteJWKSet,
  importSPKI,
  jwtVerify,
  type CryptoKey,
  type JWTVerifyGetKey,
  type JWTPayload,
} from 'jose';
import type { SecurityConfig } from '../config.js';
import { ConfigError } from '../config.js';
import { UnauthenticatedError } from '../errors.js';
import {
  isRole,
  ORGANIZATION_ROLES,
  ROLES,
  type AuthenticatedPrincipal,
  type Principal,
  type Role,
} from './principal.js';

export interface ApiKeyEntry {
  readonly id: string;
  readonly role: Role;
  readonly organizationId: string | null;
  readonly sha256: string;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** A new random key (`tg_` + 43 base64url characters) and its configuration entry. */
export function generateApiKey(
  id: string,
  role: Role,
  organizationId: string | null,
): { key: string; entry: string } {
  const key = `tg_${randomBytes(32).toString('base64url')}`;
  return { key, entry: `${id}:${role}:${organizationId ?? ''}:${hashApiKey(key)}` };
}

/** Parses `API_KEYS`; throws a `ConfigError` naming the bad entry (by position and id, never the hash). */
export function parseApiKeys(raw: string): ApiKeyEntry[] {
  const entries = raw
    .split(/[,\s]+/)
    .map((e) => e.trim())
    .filter(Boolean);
  const seenIds = new Set<string>();
  return entries.map((entry, index) => {
    const parts = entry.split(':');
    const [id = '', role = '', org = '', sha = ''] = parts;
    const where = `API_KEYS entry ${index + 1}${id ? ` (${id})` : ''}`;
    if (parts.length !== 4) throw new ConfigError(`${where}: expected id:ROLE:organization:sha256hex`);
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(id))
      throw new ConfigError(`${where}: the id must be 1-64 letters, digits, _ . -`);
    if (seenIds.has(id)) throw new ConfigError(`${where}: duplicate id`);
    seenIds.add(id);
    if (!isRole(role)) throw new ConfigError(`${where}: role must be one of ${ROLES.join(', ')}`);
    if (ORGANIZATION_ROLES.has(role) && org === '')
      throw new ConfigError(`${where}: a ${role} key needs an organization id`);
    if (!/^[0-9a-f]{64}$/.test(sha))
      throw new ConfigError(`${where}: the last part must be the key's SHA-256 (64 lowercase hex digits)`);
    return { id, role, organizationId: org === '' ? null : org, sha256: sha };
  });
}

export interface CredentialHeaders {
  readonly authorization?: string | undefined;
  readonly apiKey?: string | undefined;
}

export type Authenticator = (headers: CredentialHeaders) => Promise<Principal>;

/**
 * Builds the authenticator. Without credentials a request is anonymous; with credentials that
 * do not verify it is refused (UNAUTHENTICATED), never downgraded to anonymous.
 */
export async function createAuthenticator(security: SecurityConfig): Promise<Authenticator> {
  const keys = new Map(parseApiKeys(security.apiKeys).map((k) => [k.sha256, k]));
  const verifyJwt = await createJwtVerifier(security.jwt);
  const anonymous: Principal = {
    kind: 'anonymous',
    id: 'anonymous',
    role: 'ANONYMOUS',
    organizationId: null,
    taxonomy: security.anonymous !== 'none',
  };
  return async (headers) => {
    if (headers.apiKey !== undefined) {
      const entry = keys.get(hashApiKey(headers.apiKey.trim()));
      if (!entry) throw new UnauthenticatedError('Unknown API key');
      return { kind: 'apiKey', id: entry.id, role: entry.role, organizationId: entry.organizationId };
    }
    if (headers.authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(headers.authorization.trim());
      if (!match?.[1]) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"');
      if (!verifyJwt)
        throw new UnauthenticatedError(
          'Bearer tokens are not accepted by this server (no JWT key configured)',
        );
      return verifyJwt(match[1]);
    }
    return anonymous;
  };
}

type JwtVerifier = (token: string) => Promise<AuthenticatedPrincipal>;

async function createJwtVerifier(jwt: SecurityConfig['jwt']): Promise<JwtVerifier | undefined> {
  let key: Uint8Array | CryptoKey | JWTVerifyGetKey;
  let algorithms: string[];
  if (jwt.secret !== undefined) {
    key = new TextEncoder().encode(jwt.secret);
    algorithms = ['HS256', 'HS384', 'HS512'];
  } else if (jwt.publicKey !== undefined) {
    const pem = jwt.publicKey.replace(/\\n/g, '\n');
    const imported = await importAnyPublicKey(pem, ['RS256', 'ES256', 'EdDSA']);
    key = imported.key;
    algorithms = [imported.alg];
  } else if (jwt.jwksUrl !== undefined) {
    key = createRemoteJWKSet(new URL(jwt.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
    algorithms = ['RS256', 'PS256', 'ES256', 'EdDSA'];
  } else {
    return undefined;
  }
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as Uint8Array, {
        algorithms,
        requiredClaims: ['exp'],
        clockTolerance: 30,
        ...(jwt.issuer ? { issuer: jwt.issuer } : {}),
        ...(jwt.audience ? { audience: jwt.audience } : {}),
      }));
    } catch (error) {
      // jose's codes say why (expired, bad signature, wrong audience) without echoing the token.
      const code = (error as { code?: string }).code ?? 'ERR_JWT_INVALID';
      throw new UnauthenticatedError(`Invalid bearer token (${code})`, { reason: code });
    }
    const role = payload[jwt.roleClaim];
    const org = payload[jwt.orgClaim];
    if (!isRole(role))
      throw new UnauthenticatedError(
        `The token's "${jwt.roleClaim}" claim must be one of ${ROLES.join(', ')}`,
      );
    if (ORGANIZATION_ROLES.has(role) && (typeof org !== 'string' || org === '')) {
      throw new UnauthenticatedError(`A ${role} token needs an "${jwt.orgClaim}" claim`);
    }
    return {
      kind: 'jwt',
      id: typeof payload.sub === 'string' ? payload.sub.slice(0, 128) : 'jwt',
      role,
      organizationId: typeof org === 'string' && org !== '' ? org : null,
    };
  };
}

async function importAnyPublicKey(
  pem: string,
  algorithms: string[],
): Promise<{ key: CryptoKey; alg: string }> {
  for (const alg of algorithms) {
    try {
      return { key: await importSPKI(pem, alg), alg };
    } catch {
      // try the next algorithm family
    }
  }
  throw new ConfigError(`JWT_PUBLIC_KEY is not a PEM public key (SPKI) for any of ${algorithms.join(', ')}`);
}
