/**
 * `Query.viewer` says what the server enforces: its operations are exactly the root fields
 * `checkAccess` lets the role call, its denied fields exactly those `checkAccess` refuses.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { buildASTSchema, parse } from 'graphql';
import { test } from 'vitest';
import { SCHEMA_FILE } from '../../../src/http/graphqlServer.js';
import { checkAccess } from '../../../src/security/accessPolicy.js';
import { fieldRulesOf } from '../../../src/security/fieldRules.js';
import type { Principal } from '../../../src/security/principal.js';
import { describeViewer } from '../../../src/security/viewer.js';

const schema = buildASTSchema(parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
const rules = fieldRulesOf(schema);

const principals: Record<string, Principal> = {
  anonymous: { kind: 'anonymous', id: 'anonymous', role: 'ANONYMOUS', organizationId: null, taxonomy: true },
  closed: { kind: 'anonymous', id: 'anonymous', role: 'ANONYMOUS', organizationId: null, taxonomy: false },
  recruiter: { kind: 'apiKey', id: 'r', role: 'RECRUITER', organizationId: 'org-001' },
  partner: { kind: 'apiKey', id: 'p', role: 'PARTNER', organizationId: 'org-001' },
  analyst: { kind: 'apiKey', id: 'a', role: 'ANALYST', organizationId: null },
  admin: { kind: 'apiKey', id: 'x', role: 'ADMIN', organizationId: null },
};

const allowed = (principal: Principal, coordinate: string) => {
  try {
    checkAccess(principal, [coordinate], rules);
    return true;
  } catch {
    return false;
  }
};

const roots = [schema.getQueryType(), schema.getMutationType()].flatMap((t) =>
  t ? Object.keys(t.getFields()).map((f) => `${t.name}.${f}`) : [],
);

test('viewer.operations are the root fields checkAccess admits, for every role', () => {
  for (const [name, principal] of Object.entries(principals)) {
    const viewer = describeViewer(principal, schema);
    assert.deepEqual(viewer.operations, roots.filter((c) => allowed(principal, c)).sort(), name);
  }
});

test('viewer.deniedFields are the fields checkAccess refuses wherever they are selected', () => {
  for (const [name, principal] of Object.entries(principals)) {
    const viewer = describeViewer(principal, schema);
    const denied = [...rules.denials.keys()].filter((c) => !allowed(principal, c)).sort();
    assert.deepEqual(viewer.deniedFields, denied, name);
  }
});

test('the roles differ as the README says: partners pseudonymised without names, analysts without rankings', () => {
  const partner = describeViewer(principals.partner!, schema);
  assert.equal(partner.pseudonymised, true);
  assert.equal(partner.organizationId, 'org-001');
  assert.ok(partner.deniedFields.includes('Candidate.displayName'));
  assert.ok(partner.operations.includes('Query.rankCandidates'));
  const analyst = describeViewer(principals.analyst!, schema);
  assert.ok(!analyst.operations.includes('Query.rankCandidates'));
  assert.ok(analyst.operations.includes('Query.skillDemand'));
  const recruiter = describeViewer(principals.recruiter!, schema);
  assert.equal(recruiter.pseudonymised, false);
  assert.ok(!recruiter.deniedFields.includes('Candidate.displayName'));
  assert.ok(!recruiter.operations.some((c) => c.startsWith('Mutation.')));
  const admin = describeViewer(principals.admin!, schema);
  assert.ok(admin.operations.includes('Mutation.deleteCandidate'));
  assert.deepEqual(describeViewer(principals.closed!, schema).operations, []);
  assert.ok(describeViewer(principals.anonymous!, schema).operations.includes('Query.viewer'));
});
