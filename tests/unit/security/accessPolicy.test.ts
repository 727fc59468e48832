import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'vitest';
import { buildASTSchema, parse } from 'graphql';
import { AppError } from '../../../src/errors.js';
import { SCHEMA_FILE } from '../../../src/http/graphqlServer.js';
import { checkAccess } from '../../../src/security/accessPolicy.js';
import { fieldRulesOf } from '../../../src/security/fieldRules.js';
import type { Principal, Role } from '../../../src/security/principal.js';

const schema = buildASTSchema(parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
const rules = fieldRulesOf(schema);
const as = (role: Role, org: string | null = 'org-1'): Principal => ({
  kind: 'apiKey',
  id: role.toLowerCase(),
  role,
  organizationId: org,
});
const anonymous = (taxonomy = true): Principal => ({
  kind: 'anonymous',
  id: 'anonymous',
  role: 'ANONYMOUS',
  organizationId: null,
  taxonomy,
});

function outcome(principal: Principal, coordinate: string): string {
  try {
    checkAccess(principal, [coordinate], rules);
    return 'allowed';
  } catch (error) {
    assert.ok(error instanceof AppError);
    return error.code;
  }
}

test('a root field without @access is refused to everyone but ADMIN', () => {
  assert.equal(outcome(as('RECRUITER'), 'Query.planted'), 'FORBIDDEN');
  assert.equal(outcome(anonymous(), 'Query.planted'), 'UNAUTHENTICATED');
  assert.equal(outcome(as('ADMIN', null), 'Query.planted'), 'allowed');
});

test('the role matrix, root field by root field', () => {
  const expected: Record<string, Record<string, string>> = {
    'Query.occupation': {
      ANONYMOUS: 'allowed',
      RECRUITER: 'allowed',
      PARTNER: 'allowed',
      ANALYST: 'allowed',
      ADMIN: 'allowed',
    },
    'Query.extractSkills': {
      ANONYMOUS: 'allowed',
      RECRUITER: 'allowed',
      PARTNER: 'allowed',
      ANALYST: 'allowed',
      ADMIN: 'allowed',
    },
    'Query.skillDemand': {
      ANONYMOUS: 'UNAUTHENTICATED',
      RECRUITER: 'allowed',
      PARTNER: 'FORBIDDEN',
      ANALYST: 'allowed',
      ADMIN: 'allowed',
    },
    'Query.occupationSkillProfile': {
      ANONYMOUS: 'UNAUTHENTICATED',
      RECRUITER: 'allowed',
      PARTNER: 'FORBIDDEN',
      ANALYST: 'allowed',
      ADMIN: 'allowed',
    },
    'Query.rankCandidates': {
      ANONYMOUS: 'UNAUTHENTICATED',
      RECRUITER: 'allowed',
      PARTNER: 'allowed',
      ANALYST: 'FORBIDDEN',
      ADMIN: 'allowed',
    },
    'Query.vacancies': {
      ANONYMOUS: 'UNAUTHENTICATED',
      RECRUITER: 'allowed',
      PARTNER: 'allowed',
      ANALYST: 'FORBIDDEN',
      ADMIN: 'allowed',
    },
    'Query.candidate': {
      ANONYMOUS: 'UNAUTHENTICATED',
      RECRUITER: 'allowed',
      PARTNER: 'FORBIDDEN',
      ANALYST: 'FORBIDDEN',
      ADMIN: 'allowed',
    },
    'Query.skillGap': {
      ANONYMOUS: 'UNAUTHENTICATED',
      RECRUITER: 'allowed',
      PARTNER: 'FORBIDDEN',
      ANALYST: 'allowed',
      ADMIN: 'allowed',
    },
    'Query.candidates': {
      ANONYMOUS: 'UNAUTHENTICATED',
      RECRUITER: 'FORBIDDEN',
      PARTNER: 'FORBIDDEN',
      ANALYST: 'FORBIDDEN',
      ADMIN: 'allowed',
    },
    'Query.rankVacancies': {
      ANONYMOUS: 'UNAUTHENTICATED',
      RECRUITER: 'FORBIDDEN',
      PARTNER: 'FORBIDDEN',
      ANALYST: 'FORBIDDEN',
      ADMIN: 'allowed',
    },
    'Mutation.upsertCandidate': {
      ANONYMOUS: 'UNAUTHENTICATED',
      RECRUITER: 'FORBIDDEN',
      PARTNER: 'FORBIDDEN',
      ANALYST: 'FORBIDDEN',
      ADMIN: 'allowed',
    },
    'Mutation.deleteCandidate': {
      ANONYMOUS: 'UNAUTHENTICATED',
      RECRUITER: 'FORBIDDEN',
      PARTNER: 'FORBIDDEN',
      ANALYST: 'FORBIDDEN',
      ADMIN: 'allowed',
    },
  };
  for (const [coordinate, byRole] of Object.entries(expected)) {
    const actual = {
      ANONYMOUS: outcome(anonymous(), coordinate),
      RECRUITER: outcome(as('RECRUITER'), coordinate),
      PARTNER: outcome(as('PARTNER'), coordinate),
      ANALYST: outcome(as('ANALYST', null), coordinate),
      ADMIN: outcome(as('ADMIN', null), coordinate),
    };
    assert.deepEqual(actual, byRole, coordinate);
  }
});

test('per-field denials: partners and analysts get no names, free text or application histories', () => {
  for (const field of [
    'Candidate.displayName',
    'Candidate.summary',
    'Candidate.applications',
    'Vacancy.applications',
  ]) {
    assert.equal(outcome(as('PARTNER'), field), 'FORBIDDEN', field);
    assert.equal(outcome(as('ANALYST', null), field), 'FORBIDDEN', field);
    assert.equal(outcome(as('RECRUITER'), field), 'allowed', field);
  }
  for (const field of [
    'Candidate.id',
    'Candidate.skills',
    'Candidate.region',
    'RankedCandidate.score',
    'Vacancy.title',
  ]) {
    assert.equal(outcome(as('PARTNER'), field), 'allowed', field);
  }
});

test('ANONYMOUS_ACCESS=none: anonymous callers may not even read the taxonomy', () => {
  assert.equal(outcome(anonymous(false), 'Query.occupation'), 'UNAUTHENTICATED');
});

test('refusals name the field and the role', () => {
  assert.throws(
    () => checkAccess(as('ANALYST', null), ['Query.occupation', 'Query.candidate'], rules),
    (e: unknown) => {
      assert.ok(e instanceof AppError);
      assert.deepEqual(e.details, { field: 'Query.candidate', role: 'ANALYST' });
      return true;
    },
  );
});
