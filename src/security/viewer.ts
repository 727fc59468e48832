/**
 * What a caller may do, as the server decides it: `Query.viewer`. Clients (the console) read it to
 * show only what the caller's role may use instead of guessing from the key they hold. Derived
 * from the same decision the server enforces (`mayUse` in `accessPolicy.ts`), so the two
 * cannot disagree; data-dependent rules (own organization, candidates in scope) still apply per
 * request.
 */
import type { GraphQLSchema } from 'graphql';
import { mayUse } from './accessPolicy.js';
import { fieldRulesOf, type Access } from './fieldRules.js';
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
  return {
    role,
    organizationId: principal.organizationId,
    pseudonymised: role !== 'ANONYMOUS' && PSEUDONYMISED_ROLES.has(role),
    operations: [...rootCoordinates(schema)].filter((c) => mayUse(principal, c, rules)).sort(),
    deniedFields: [...rules.denials.keys()].filter((c) => !mayUse(principal, c, rules)).sort(),
  };
}

function* rootCoordinates(schema: GraphQLSchema): Iterable<string> {
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!type) continue;
    for (const name of Object.keys(type.getFields())) yield `${type.name}.${name}`;
  }
}
