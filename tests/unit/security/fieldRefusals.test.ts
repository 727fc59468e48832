/**
 * Refusals of one root field (README "API conventions"): decided per response key from the
 * operation, through fragments, so that one refused alias leaves the others to run; page sizes
 * are argument bounds, and the cost estimate counts a huge one at its bound.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'vitest';
import { buildASTSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { BadUserInputError, ForbiddenError, UnauthenticatedError } from '../../../src/errors.js';
import { SCHEMA_FILE } from '../../../src/http/graphqlServer.js';
import { rootFieldRefusals } from '../../../src/security/fieldRefusals.js';
import type { Principal, Role } from '../../../src/security/principal.js';
import { analyzeOperation, SATURATED } from '../../../src/security/queryAnalysis.js';

const schema = buildASTSchema(parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
const as = (role: Role): Principal => ({
  kind: 'apiKey',
  id: role.toLowerCase(),
  role,
  organizationId: 'org-1',
});

function analyze(query: string, variables: Record<string, unknown> = {}, maxPageSize?: number) {
  const doc = parse(query);
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  return analyzeOperation(schema, doc, op, variables, maxPageSize === undefined ? {} : { maxPageSize });
}

function refusals(principal: Principal, query: string, variables: Record<string, unknown> = {}) {
  const out: Record<string, { code: string; details: unknown }> = {};
  for (const [key, error] of rootFieldRefusals(principal, analyze(query, variables, 100), schema))
    out[key] = { code: error.code, details: error.details };
  return out;
}

test('each alias is decided on its own: a bad k, a denied field, an allowed one', () => {
  const query = `{
    ok: rankCandidates(vacancyId: "v1", k: 5) { totalCount }
    zero: rankCandidates(vacancyId: "v2", k: 0) { totalCount }
    huge: rankCandidates(vacancyId: "v3", k: 101) { totalCount }
    names: rankCandidates(vacancyId: "v4", k: 5) { items { candidate { displayName } } }
  }`;
  assert.deepEqual(refusals(as('PARTNER'), query), {
    zero: {
      code: 'BAD_USER_INPUT',
      details: { argument: 'k', field: 'Query.rankCandidates', min: 1, max: 100, actual: 0 },
    },
    huge: {
      code: 'BAD_USER_INPUT',
      details: { argument: 'k', field: 'Query.rankCandidates', min: 1, max: 100, actual: 101 },
    },
    names: {
      code: 'FORBIDDEN',
      details: { field: 'Candidate.displayName', role: 'PARTNER' },
    },
  });
  assert.deepEqual(refusals(as('RECRUITER'), query), {
    zero: refusals(as('PARTNER'), query).zero,
    huge: refusals(as('PARTNER'), query).huge,
  });
});

test('a root field the role may not call is refused by itself; fragments count where spread', () => {
  const query = `
    query($c: ID!) { taxonomy: occupation(code: "2511.4") { uri } ...People a: vacancies { totalCount } }
    fragment People on Query { candidates { nodes { ...Named } } other: candidate(id: $c) { ...Named } }
    fragment Named on Candidate { displayName }`;
  const out = refusals(as('RECRUITER'), query, { c: 'c1' });
  assert.deepEqual(Object.keys(out), ['candidates']);
  assert.deepEqual(out.candidates, {
    code: 'FORBIDDEN',
    details: { field: 'Query.candidates', role: 'RECRUITER' },
  });
  const partner = refusals(as('PARTNER'), query, { c: 'c1' });
  assert.deepEqual(Object.keys(partner).sort(), ['candidates', 'other']);
  assert.deepEqual(partner.other, {
    code: 'FORBIDDEN',
    details: { field: 'Query.candidate', role: 'PARTNER' },
  });
  const analysis = analyze(query, { c: 'c1' });
  assert.deepEqual([...analysis.rootFields.keys()], ['taxonomy', 'candidates', 'other', 'a']);
  assert.ok(
    analysis.rootFields.get('other')?.coordinates.has('Candidate.displayName'),
    'reused fragment counted',
  );
});

test('nested arguments refuse their root field; anonymous callers are refused as a whole request', () => {
  const out = refusals(
    as('ADMIN'),
    '{ occupation(code: "2511.4") { essentialSkills(first: 500) { totalCount } } }',
  );
  assert.deepEqual(out.occupation?.details, {
    argument: 'first',
    field: 'Occupation.essentialSkills',
    min: 1,
    max: 100,
    actual: 500,
  });
  const anonymous: Principal = {
    kind: 'anonymous',
    id: 'anonymous',
    role: 'ANONYMOUS',
    organizationId: null,
    taxonomy: true,
  };
  assert.throws(
    () => rootFieldRefusals(anonymous, analyze('{ candidates { totalCount } }'), schema),
    UnauthenticatedError,
  );
  const [error] = rootFieldRefusals(
    as('ADMIN'),
    analyze('{ careerPaths(candidateId: "c", k: 51) { candidateId } }'),
    schema,
  ).values();
  assert.ok(error instanceof BadUserInputError);
  assert.ok(!(error instanceof ForbiddenError));
});

test('MAX_PAGE_SIZE lowers a page bound; the cost counts a huge page at its bound, never overflowing', () => {
  const query = 'query($k: Int) { rankCandidates(vacancyId: "v", k: $k) { items { rank } } }';
  const atBound = analyze(query, { k: 100 }).cost;
  const huge = analyze(query, { k: Number.MAX_SAFE_INTEGER }).cost;
  assert.equal(huge, atBound);
  assert.ok(huge < SATURATED);
  const lowered = analyze(query, { k: 60 }, 50).rootFields.get('rankCandidates')?.violation;
  assert.deepEqual(lowered && { max: lowered.bounds.max, setting: lowered.setting }, {
    max: 50,
    setting: 'MAX_PAGE_SIZE',
  });
  assert.equal(analyze(query, { k: 60 }, 100).rootFields.get('rankCandidates')?.violation, undefined);
});
