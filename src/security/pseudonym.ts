/**
 * Pseudonyms for people shown to roles that may not know who they are (PARTNER, ANALYST): an
 * HMAC of the id with a server secret, keyed by a scope, so a pseudonym is stable for one scope
 * (a partner can follow a candidate across rankings, an analyst across gaps) but cannot be linked
 * across scopes or reversed without the secret. A partner's scope is their organization; an
 * analyst's is their own credential (key id or token subject), so two analysts cannot join their
 * results on it either.
 */
import { createHmac } from 'node:crypto';
import type { Principal, Role } from './principal.js';

/**
 * Roles that see people only under a pseudonym, with every field `@denied` to one of them denied
 * to all of them (`fieldRules.ts` refuses to start otherwise): no name, free text or applications.
 */
export const PSEUDONYMISED_ROLES: ReadonlySet<Role> = new Set(['PARTNER', 'ANALYST']);

export function pseudonymFor(secret: string, scope: string, id: string): string {
  return `anon-${createHmac('sha256', secret).update(`${scope}\u0000${id}`).digest('base64url').slice(0, 22)}`;
}

/**
 * The scope of the caller's pseudonyms, or null when the caller sees real ids. A partner's scope
 * is their organization id (as before analysts had one); the others start with a NUL, which no
 * organization id contains, so no scope of one kind equals one of another.
 */
export function pseudonymScope(principal: Principal): string | null {
  if (principal.kind === 'anonymous' || !PSEUDONYMISED_ROLES.has(principal.role)) return null;
  if (principal.role === 'PARTNER' && principal.organizationId !== null) return principal.organizationId;
  return `\u0000${principal.role.toLowerCase()}\u0000${principal.id}`;
}
