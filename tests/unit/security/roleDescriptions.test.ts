/**
 * Each root field's description names the roles that may call it, generated from `@access` when
 * the served SDL is built: the served schema's "Roles:" line of every root field names exactly the
 * roles `checkAccess` lets through; a planted hand-written line that disagrees stops the start; a
 * field without `@access` says ADMIN only, as enforced.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, test } from 'vitest';
import { buildASTSchema, buildSchema, parse, print } from 'graphql';
import { SCHEMA_FILE, loadTypeDefs } from '../../../src/http/graphqlServer.js';
import { checkAccess } from '../../../src/security/accessPolicy.js';
import { fieldRulesOf } from '../../../src/security/fieldRules.js';
import type { Principal } from '../../../src/security/principal.js';
import { withRoleDescriptions } from '../../../src/security/roleDescriptions.js';

const SDL = fs.readFileSync(SCHEMA_FILE, 'utf8');
const served = buildSchema(loadTypeDefs());
const CALLERS: Record<string, Principal> = {
  ANONYMOUS: { kind: 'anonymous', id: 'anonymous', role: 'ANONYMOUS', organizationId: null, taxonomy: true },
  RECRUITER: { kind: 'apiKey', id: 'r', role: 'RECRUITER', organizationId: 'org-1' },
  PARTNER: { kind: 'apiKey', id: 'p', role: 'PARTNER', organizationId: 'org-1' },
  ANALYST: { kind: 'apiKey', id: 'a', role: 'ANALYST', organizationId: null },
  ADMIN: { kind: 'apiKey', id: 'x', role: 'ADMIN', organizationId: null },
};

function rootFields(schema = served) {
  return [schema.getQueryType(), schema.getMutationType()].flatMap((t) =>
    Object.values(t?.getFields() ?? {}).map((f) => ({ coordinate: `${t?.name}.${f.name}`, field: f })),
  );
}

const rolesIn = (description: string | null | undefined) =>
  /^Roles: ([A-Z, ]+)\./mu.exec(description ?? '')?.[1]?.split(', ') ?? null;

describe('root field descriptions name their roles', () => {
  test('every served root field names exactly the roles the access check lets through', () => {
    const rules = fieldRulesOf(buildASTSchema(parse(SDL)));
    const fields = rootFields();
    assert.ok(fields.length >= 29);
    for (const { coordinate, field } of fields) {
      const allowed = Object.entries(CALLERS)
        .filter(([, principal]) => {
          try {
            checkAccess(principal, [coordinate], rules);
            return true;
          } catch {
            return false;
          }
        })
        .map(([role]) => role)
        .sort();
      assert.deepEqual(rolesIn(field.description)?.sort(), allowed, coordinate);
    }
  });

  test('the analyses say who is limited and how', () => {
    const gap = served.getQueryType()?.getFields().skillGap?.description ?? '';
    assert.match(gap, /Roles: RECRUITER, ANALYST, ADMIN\./);
    assert.match(gap, /RECRUITER: only .*candidate who applied to their organization \(`candidateId`\)/);
    assert.match(gap, /ANALYST: candidates pseudonymised/);
    const demand = served.getQueryType()?.getFields().skillDemand?.description ?? '';
    assert.doesNotMatch(demand, /pseudonymised/, 'skillDemand reaches no person');
    // The checked-in SDL carries no "Roles:" line: the directive is the one source.
    assert.doesNotMatch(SDL, /^\s*Roles: /mu);
  });

  test('a planted description whose roles disagree with @access stops the start', () => {
    const planted = `${SDL}
      extend type Query {
        "A planted field.\\n\\nRoles: ADMIN."
        plantedWrong: Int @cost(weight: 0) @access(roles: [RECRUITER, ADMIN])
      }`;
    assert.throws(
      () => withRoleDescriptions(parse(planted)),
      /Query\.plantedWrong: its description says "Roles: ADMIN\." but its @access gives "Roles: RECRUITER, ADMIN\."/,
    );
  });

  test('a root field without @access says ADMIN only; a matching line is kept; applying twice changes nothing', () => {
    const planted = `${SDL}
      extend type Query {
        plantedBare: Int
        "Kept.\\n\\nRoles: ANALYST, ADMIN."
        plantedRight: Int @cost(weight: 0) @access(roles: [ANALYST, ADMIN])
      }`;
    const once = withRoleDescriptions(parse(planted));
    const fields = buildASTSchema(once).getQueryType()?.getFields();
    assert.equal(fields?.plantedBare?.description, 'Roles: ADMIN.');
    assert.equal(fields?.plantedRight?.description, 'Kept.\n\nRoles: ANALYST, ADMIN.');
    assert.equal(print(withRoleDescriptions(once)), print(once));
  });
});
