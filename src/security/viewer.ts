/**
 * What a caller may do, as the server decides it: `Query.viewer`. Clients (the console) read it to
 * show only what the caller's role may use instead of guessing from the key they hold. Derived
 * from the same `@access` / `@denied` rules the server enforces (`fieldRules.ts`), so the two
 * cannot disagree; data-dependent rules (own organization, candidates in scope) still apply per
 * request.
 */
import { fieldRulesOf, type Access } from './fieldRules.js';
import type { GraphQLSchema } from 'graphql';
import type { Principal } from './principal.js';
import { PSEUDONYMISED_ROLES } from './pseudonym.js';

export interface ViewerRecord {
  readonly role: Access;
  readonly organizationId: string | null;
  readonly pseudonymised: boolean;
  /** Root-field coordinates the role may call, sorted (`Query.rankCandidates`). */
  readonly operations: readonly string[];
  /** Field coordinates refused to the role wherever they are selected, sorted. */
  readonly deniedFields: readonly string[];
}

export function describeViewer(principal: Principal, schema: GraphQLSchema): ViewerRecord {
  const rules = fieldRulesOf(schema);
  const role: Access = principal.role;
  const closed = principal.kind === 'anonymous' && !principal.taxonomy;
  const operations = closed
    ? []
    : [...rootCoordinates(schema)].filter((c) => {
        const rule = rules.access.get(c);
        return rule ? rule.roles.includes(role) : role === 'ADMIN';
      });
  const deniedFields =
    role === 'ANONYMOUS'
      ? []
      : [...rules.denials].filter(([, roles]) => roles.includes(role)).map(([c]) => c);
  return {
    role,
    organizationId: principal.organizationId,
    pseudonymised: role !== 'ANONYMOUS' && PSEUDONYMISED_ROLES.has(role),
    operations: operations.sort(),
    deniedFields: deniedFields.sort(),
  };
}

function* rootCoordinates(schema: GraphQLSchema): Iterable<string> {
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!type) continue;
    for (const name of Object.keys(type.getFields())) yield `${type.name}.${name}`;
  }
}
