/**
 * Who is calling: a role and, for roles bound to an employer, an organization.
 *
 * - RECRUITER: rank and read candidates for their organization's vacancies only.
 * - PARTNER: taxonomy, their own vacancies, rankings with candidates pseudonymised.
 * - ANALYST: taxonomy and aggregates only.
 * - ADMIN: everything, including imports and mutations.
 * - ANONYMOUS: taxonomy only (or nothing, with `ANONYMOUS_ACCESS=none`).
 */
export const ROLES = ['RECRUITER', 'PARTNER', 'ANALYST', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose every read is limited to one organization. */
export const ORGANIZATION_ROLES: ReadonlySet<Role> = new Set(['RECRUITER', 'PARTNER']);

export interface AuthenticatedPrincipal {
  readonly kind: 'apiKey' | 'jwt' | 'local';
  /** Key id or token subject: safe to log, never the secret itself. */
  readonly id: string;
  readonly role: Role;
  readonly organizationId: string | null;
}

export interface AnonymousPrincipal {
  readonly kind: 'anonymous';
  readonly id: 'anonymous';
  readonly role: 'ANONYMOUS';
  readonly organizationId: null;
  /** Whether anonymous callers may read the taxonomy (`ANONYMOUS_ACCESS`). */
  readonly taxonomy: boolean;
}

export type Principal = AuthenticatedPrincipal | AnonymousPrincipal;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
