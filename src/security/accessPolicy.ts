/**
 * Who may see what: the one place where access is decided. Two layers, both driven by the
 * tables below:
 *
 * 1. Before execution (`checkAccess`): every `Type.field` an operation selects is checked
 *    against the caller's role. Root fields are denied unless listed (a new root field without
 *    a rule is refused for everyone but ADMIN, and a unit test fails); fields of person-bearing
 *    types may be denied per role. Refusals are UNAUTHENTICATED for anonymous callers, FORBIDDEN
 *    otherwise, naming the field and the role, and cost no database work.
 * 2. During execution (`secureResolvers`): rules that depend on data. Organization-bound roles
 *    (RECRUITER, PARTNER) reach only their organization's vacancies, whatever the path; a
 *    recruiter reads a candidate by id only when the candidate applied to one of those
 *    vacancies, and sees only those applications; partners see candidates under a pseudonym.
 */
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { isObjectType } from 'graphql';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import type { ApplicationRecord, CandidateRecord, VacancyRecord } from '../graph/people/records.js';
import type { RequestContext } from '../resolvers/context.js';
import type { Resolvers } from '../resolvers/__generated__/types.js';
import { ORGANIZATION_ROLES, type Principal, type Role } from './principal.js';
import { pseudonymFor } from './pseudonym.js';

type Access = 'ANONYMOUS' | Role;

const TAXONOMY: readonly Access[] = ['ANONYMOUS', 'RECRUITER', 'PARTNER', 'ANALYST', 'ADMIN'];
const AGGREGATES: readonly Access[] = ['RECRUITER', 'ANALYST', 'ADMIN'];
const ADMIN_ONLY: readonly Access[] = ['ADMIN'];

/** Root fields and who may call them. ADMIN may call every root field. */
export const ROOT_ACCESS: Readonly<Record<string, readonly Access[]>> = {
  'Query.occupation': TAXONOMY,
  'Query.skill': TAXONOMY,
  'Query.iscoGroup': TAXONOMY,
  'Query.skillGroup': TAXONOMY,
  'Query.occupations': TAXONOMY,
  'Query.skills': TAXONOMY,
  'Query.search': TAXONOMY,
  'Query.escoDataset': TAXONOMY,
  'Query.normalizeJobTitle': TAXONOMY,
  'Query.extractSkills': TAXONOMY,
  'Query.similarOccupations': TAXONOMY,
  'Query.similarSkills': TAXONOMY,
  'Query.skillDemand': AGGREGATES,
  'Query.occupationSkillProfile': AGGREGATES,
  'Query.vacancy': ['RECRUITER', 'PARTNER', 'ADMIN'],
  'Query.vacancies': ['RECRUITER', 'PARTNER', 'ADMIN'],
  'Query.rankCandidates': ['RECRUITER', 'PARTNER', 'ADMIN'],
  'Query.candidate': ['RECRUITER', 'ADMIN'],
  'Query.skillGap': ['RECRUITER', 'ADMIN'],
  'Query.threeWayGap': ['RECRUITER', 'ADMIN'],
  'Query.careerPaths': ['RECRUITER', 'ADMIN'],
  'Query.candidates': ADMIN_ONLY,
  'Query.rankVacancies': ADMIN_ONLY,
  'Mutation.upsertCandidate': ADMIN_ONLY,
  'Mutation.upsertVacancy': ADMIN_ONLY,
  'Mutation.recordApplication': ADMIN_ONLY,
  'Mutation.updateApplicationStatus': ADMIN_ONLY,
  'Mutation.deleteCandidate': ADMIN_ONLY,
};

/** Fields of object types denied to some roles: partners get no names, free text or application histories. */
export const FIELD_DENIALS: Readonly<Record<string, readonly Role[]>> = {
  'Candidate.displayName': ['PARTNER'],
  'Candidate.summary': ['PARTNER'],
  'Candidate.applications': ['PARTNER'],
  'Vacancy.applications': ['PARTNER'],
};

function accessOf(principal: Principal): Access {
  return principal.role;
}

/** Refuses (before execution) an operation selecting a field the caller may not see. */
export function checkAccess(principal: Principal, coordinates: Iterable<string>): void {
  const access = accessOf(principal);
  for (const coordinate of coordinates) {
    const root =
      coordinate.startsWith('Query.') ||
      coordinate.startsWith('Mutation.') ||
      coordinate.startsWith('Subscription.');
    let allowed: boolean;
    if (root) {
      allowed = access === 'ADMIN' || (ROOT_ACCESS[coordinate]?.includes(access) ?? false);
      if (allowed && principal.kind === 'anonymous' && !principal.taxonomy) allowed = false;
    } else {
      allowed = access === 'ANONYMOUS' || !(FIELD_DENIALS[coordinate]?.includes(access) ?? false);
    }
    if (allowed) continue;
    if (principal.kind === 'anonymous') {
      throw new UnauthenticatedError(
        `${coordinate} needs authentication: send an API key (x-api-key) or a bearer token`,
        { field: coordinate },
      );
    }
    throw new ForbiddenError(`${coordinate} is not available to the ${access} role`, {
      field: coordinate,
      role: access,
    });
  }
}

type AnyResolver = GraphQLFieldResolver<unknown, RequestContext, Record<string, unknown>>;
type Guard = (
  principal: Principal,
  args: Record<string, unknown>,
  ctx: RequestContext,
) => Promise<Record<string, unknown> | void>;

function organizationOf(principal: Principal): string | null {
  return principal.kind !== 'anonymous' && ORGANIZATION_ROLES.has(principal.role)
    ? principal.organizationId
    : null;
}

async function requireOwnVacancy(
  principal: Principal,
  ctx: RequestContext,
  vacancyId: unknown,
): Promise<void> {
  const org = organizationOf(principal);
  if (org === null || typeof vacancyId !== 'string') return;
  const vacancy = await ctx.people.vacancy(vacancyId);
  if (vacancy.organizationId !== org) {
    throw new ForbiddenError(`Vacancy ${vacancyId} belongs to another organization`, {
      field: 'vacancyId',
      role: principal.role,
    });
  }
}

async function requireCandidateInScope(
  principal: Principal,
  ctx: RequestContext,
  candidateId: unknown,
): Promise<void> {
  const org = organizationOf(principal);
  if (org === null || typeof candidateId !== 'string') return;
  await ctx.people.candidate(candidateId); // NOT_FOUND / BAD_USER_INPUT first, as for anyone
  if (!(await ctx.access.candidateInOrganization(candidateId, org))) {
    throw new ForbiddenError(`Candidate ${candidateId} has not applied to a vacancy of your organization`, {
      field: 'candidateId',
      role: principal.role,
    });
  }
}

/** Data-dependent checks on root fields, run before their resolver. */
const ROOT_GUARDS: Readonly<Record<string, Guard>> = {
  'Query.vacancy': (p, args, ctx) => requireOwnVacancy(p, ctx, args.id),
  'Query.rankCandidates': (p, args, ctx) => requireOwnVacancy(p, ctx, args.vacancyId),
  'Query.threeWayGap': async (p, args, ctx) => {
    await requireOwnVacancy(p, ctx, args.vacancyId);
  },
  'Query.skillGap': async (p, args, ctx) => {
    const target = (args.target ?? {}) as { vacancyId?: unknown };
    // Against one of the organization's vacancies any candidate may be compared (as a ranking
    // does); against an ESCO occupation only a candidate in the organization's scope.
    if (typeof target.vacancyId === 'string') await requireOwnVacancy(p, ctx, target.vacancyId);
    else await requireCandidateInScope(p, ctx, args.candidateId);
  },
  'Query.careerPaths': (p, args, ctx) => requireCandidateInScope(p, ctx, args.candidateId),
  'Query.candidate': (p, args, ctx) => requireCandidateInScope(p, ctx, args.id),
  'Query.vacancies': (p, args) => {
    const org = organizationOf(p);
    if (org === null) return Promise.resolve();
    const filter = (args.filter ?? {}) as Record<string, unknown>;
    if (filter.organization != null && filter.organization !== org) {
      return Promise.reject(
        new ForbiddenError("vacancies: you may list only your organization's vacancies", {
          field: 'filter.organization',
          role: p.role,
        }),
      );
    }
    return Promise.resolve({ ...args, filter: { ...filter, organization: org } });
  },
};

export interface SecureResolverOptions {
  /** HMAC secret for partner pseudonyms. */
  readonly pseudonymSecret: string;
}

/**
 * Wraps the resolver map with the data-dependent rules. Every field of `Vacancy` checks the
 * vacancy's organization for organization-bound roles, so a vacancy of another organization
 * cannot be read through any path.
 */
export function secureResolvers(
  resolvers: Resolvers,
  schema: GraphQLSchema,
  options: SecureResolverOptions,
): Resolvers {
  const map = { ...(resolvers as Record<string, Record<string, unknown>>) };
  const defaultResolver =
    (field: string): AnyResolver =>
    (parent) =>
      (parent as Record<string, unknown>)[field];
  const resolverOf = (type: string, field: string): AnyResolver => {
    const existing = map[type]?.[field];
    if (typeof existing === 'function') return existing as AnyResolver;
    if (existing && typeof existing === 'object' && 'resolve' in existing)
      return (existing as { resolve: AnyResolver }).resolve;
    return defaultResolver(field);
  };
  const set = (type: string, field: string, resolver: AnyResolver) => {
    map[type] = { ...(map[type] ?? {}), [field]: resolver };
  };

  for (const [coordinate, guard] of Object.entries(ROOT_GUARDS)) {
    const [type = '', field = ''] = coordinate.split('.');
    const inner = resolverOf(type, field);
    set(type, field, async (parent, args, ctx, info) => {
      const replaced = await guard(ctx.principal, args, ctx);
      return inner(parent, replaced ?? args, ctx, info);
    });
  }

  const vacancyType = schema.getType('Vacancy');
  if (vacancyType && isObjectType(vacancyType)) {
    for (const field of Object.keys(vacancyType.getFields())) {
      const inner = resolverOf('Vacancy', field);
      set('Vacancy', field, (parent, args, ctx, info) => {
        const org = organizationOf(ctx.principal);
        if (org !== null && (parent as VacancyRecord).organizationId !== org) {
          throw new ForbiddenError('This vacancy belongs to another organization', {
            field: `Vacancy.${field}`,
            role: ctx.principal.role,
          });
        }
        return inner(parent, args, ctx, info);
      });
    }
  }

  const candidateId = resolverOf('Candidate', 'id');
  set('Candidate', 'id', (parent, args, ctx, info) => {
    const p = ctx.principal;
    if (p.role === 'PARTNER' && p.organizationId !== null)
      return pseudonymFor(options.pseudonymSecret, p.organizationId, (parent as CandidateRecord).id);
    return candidateId(parent, args, ctx, info);
  });

  const candidateApplications = resolverOf('Candidate', 'applications');
  set('Candidate', 'applications', async (parent, args, ctx, info) => {
    const all = (await candidateApplications(parent, args, ctx, info)) as ApplicationRecord[];
    const org = organizationOf(ctx.principal);
    if (org === null) return all;
    const vacancies = await Promise.all(all.map((a) => ctx.people.vacancyOrNull(a.vacancyId)));
    return all.filter((_, i) => vacancies[i]?.organizationId === org);
  });

  return map as Resolvers;
}
