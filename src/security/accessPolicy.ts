/**
 * Who may see what: the one place where access is decided. The rules are declared next to each
 * field in `schema.graphql` (`@access`, `@denied`; read by `fieldRules.ts`) and applied in two
 * layers:
 *
 * 1. Before execution (`checkAccess`): every `Type.field` an operation selects is checked
 *    against the caller's role. Root fields are denied unless their `@access` lists the role (a
 *    root field without `@access` is refused for everyone but ADMIN, and a unit test fails);
 *    fields with `@denied` are refused to the roles it lists. Refusals are UNAUTHENTICATED for
 *    anonymous callers, FORBIDDEN otherwise, naming the field and the role, and cost no
 *    database work.
 * 2. During execution (`secureResolvers`): rules that depend on data. The named rules of
 *    `@access(rule: …)` and `@access(subject: …)` (`ACCESS_RULE_CHECKS`, one implementation
 *    each) run before the root resolver for organization-bound roles (RECRUITER, PARTNER). The
 *    subject rule is subject access in one place: every root field whose result reaches
 *    `Candidate` declares one (`fieldRules.ts` refuses to start otherwise), so a person's fields
 *    come out of a gap or a career path only for a candidate `candidate(id)` would return, and
 *    out of a vacancy or a ranking only for that vacancy's own organization; every field of `Vacancy` checks
 *    the vacancy's organization, whatever the path; a recruiter sees only the applications to
 *    their organization's vacancies; partners and analysts see candidates under a pseudonym
 *    (`pseudonym.ts`) and never their names, free text or applications (`@denied`). An analyst
 *    is bound to no organization: they may compute a gap or career paths for any candidate they
 *    name, and get the person back pseudonymised.
 */
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { isObjectType } from 'graphql';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import type { ApplicationRecord, CandidateRecord, VacancyRecord } from '../graph/people/records.js';
import type { RequestContext } from '../resolvers/context.js';
import type { Resolvers } from '../resolvers/__generated__/types.js';
import { fieldRulesOf, type Access, type AccessRuleName, type FieldRules } from './fieldRules.js';
import { ORGANIZATION_ROLES, type Principal } from './principal.js';
import { pseudonymFor, pseudonymScope } from './pseudonym.js';

function accessOf(principal: Principal): Access {
  return principal.role;
}

/** Refuses (before execution) an operation selecting a field the caller may not see. */
export function checkAccess(principal: Principal, coordinates: Iterable<string>, rules: FieldRules): void {
  const access = accessOf(principal);
  for (const coordinate of coordinates) {
    if (mayUse(principal, coordinate, rules)) continue;
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

/**
 * Whether the caller may select `Type.field` (before any data-dependent rule): the one decision
 * `checkAccess` enforces and `Query.viewer` reports (`viewer.ts`).
 */
export function mayUse(principal: Principal, coordinate: string, rules: FieldRules): boolean {
  const access = accessOf(principal);
  const root =
    coordinate.startsWith('Query.') ||
    coordinate.startsWith('Mutation.') ||
    coordinate.startsWith('Subscription.');
  if (!root) return access === 'ANONYMOUS' || !(rules.denials.get(coordinate)?.includes(access) ?? false);
  const rule = rules.access.get(coordinate);
  const allowed = rule ? rule.roles.includes(access) : access === 'ADMIN';
  return allowed && !(principal.kind === 'anonymous' && !principal.taxonomy);
}

type AnyResolver = GraphQLFieldResolver<unknown, RequestContext, Record<string, unknown>>;

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
      argument: 'vacancyId',
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
      argument: 'candidateId',
      role: principal.role,
    });
  }
}

type RuleCheck = (
  principal: Principal,
  args: Record<string, unknown>,
  ctx: RequestContext,
  argument: string | undefined,
) => Promise<Record<string, unknown> | void>;

/**
 * The named rules of `@access(rule: …)`, each implemented once; `argument` is the directive's.
 * A rule may return replaced arguments (OWN_ORGANIZATION_FILTER pins the filter).
 */
export const ACCESS_RULE_CHECKS: Readonly<Record<AccessRuleName, RuleCheck>> = {
  OWN_VACANCY: (p, args, ctx, argument) => requireOwnVacancy(p, ctx, args[argument ?? '']),
  CANDIDATE_IN_SCOPE: (p, args, ctx, argument) => requireCandidateInScope(p, ctx, args[argument ?? '']),
  // The candidate is the field's subject (CANDIDATE_IN_SCOPE on candidateId), whatever the target.
  SKILL_GAP_TARGET: async (p, args, ctx) => {
    const target = (args.target ?? {}) as { vacancyId?: unknown };
    if (typeof target.vacancyId === 'string') await requireOwnVacancy(p, ctx, target.vacancyId);
  },
  OWN_ORGANIZATION_FILTER: (p, args, _ctx, argument) => {
    const org = organizationOf(p);
    if (org === null) return Promise.resolve();
    const name = argument ?? 'filter';
    const filter = (args[name] ?? {}) as Record<string, unknown>;
    if (filter.organization != null && filter.organization !== org) {
      return Promise.reject(
        new ForbiddenError("vacancies: you may list only your organization's vacancies", {
          argument: `${name}.organization`,
          role: p.role,
        }),
      );
    }
    return Promise.resolve({ ...args, [name]: { ...filter, organization: org } });
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

  for (const [coordinate, access] of fieldRulesOf(schema).access) {
    const { rule, argument, subject } = access;
    // The subject rule runs after the field's rule, unless it is the same rule on the same
    // argument (a vacancy's applicants and ranking are scoped by that vacancy's rule).
    const checks: Array<[AccessRuleName, string | undefined]> = [];
    if (rule !== undefined) checks.push([rule, argument]);
    if (subject && !(subject.rule === rule && subject.argument === argument))
      checks.push([subject.rule, subject.argument]);
    if (checks.length === 0) continue;
    const [type = '', field = ''] = coordinate.split('.');
    const inner = resolverOf(type, field);
    set(type, field, async (parent, args, ctx, info) => {
      let current = args;
      for (const [name, reads] of checks)
        current = (await ACCESS_RULE_CHECKS[name](ctx.principal, current, ctx, reads)) ?? current;
      return inner(parent, current, ctx, info);
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

  // Partners and analysts know people by pseudonym only, whatever the path to them.
  const candidateId = resolverOf('Candidate', 'id');
  set('Candidate', 'id', (parent, args, ctx, info) => {
    const scope = pseudonymScope(ctx.principal);
    if (scope !== null) return pseudonymFor(options.pseudonymSecret, scope, (parent as CandidateRecord).id);
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
