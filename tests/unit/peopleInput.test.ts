import assert from 'node:assert/strict';
import { test } from 'vitest';
import { BadUserInputError } from '../../src/errors.js';
import {
  CandidateInput,
  PeopleRecord,
  VacancyInput,
  isAllowedTransition,
} from '../../src/domain/peopleInput.js';
import { resolveIn, UnresolvedConceptError } from '../../src/graph/people/conceptResolver.js';
import { parseInput } from '../../src/graph/people/peopleRows.js';
import { dropNulls } from '../../src/graph/people/peopleService.js';
import { csvRowToRecord } from '../../src/import/people/importPeople.js';

test('application transitions: HIRED and REJECTED are final, reopening is explicit', () => {
  assert.ok(isAllowedTransition('APPLIED', 'SCREENED', false));
  assert.ok(isAllowedTransition('INTERVIEW', 'HIRED', false));
  assert.ok(!isAllowedTransition('APPLIED', 'HIRED', false), 'no hire without an interview');
  for (const to of ['APPLIED', 'SCREENED', 'INTERVIEW', 'REJECTED', 'TALENT_POOL', 'WITHDRAWN'] as const) {
    assert.ok(!isAllowedTransition('HIRED', to, true), `HIRED → ${to}`);
  }
  for (const to of ['APPLIED', 'SCREENED', 'INTERVIEW', 'HIRED', 'TALENT_POOL', 'WITHDRAWN'] as const) {
    assert.ok(!isAllowedTransition('REJECTED', to, true), `REJECTED → ${to}`);
  }
  assert.ok(!isAllowedTransition('TALENT_POOL', 'SCREENED', false));
  assert.ok(isAllowedTransition('TALENT_POOL', 'SCREENED', true));
  assert.ok(isAllowedTransition('WITHDRAWN', 'APPLIED', true));
});

test('inputs are bounded and strict', () => {
  const ok = parseInput(
    CandidateInput,
    { id: 'c-1', displayName: 'A', skills: [{ label: 'python' }] },
    'candidate',
  );
  assert.equal(ok.skills[0]?.source, 'declared');
  const refuse = (value: unknown, field: RegExp) =>
    assert.throws(
      () => parseInput(CandidateInput, value, 'candidate'),
      (e: unknown) => e instanceof BadUserInputError && field.test(e.message),
    );
  refuse({ id: 'c 1', displayName: 'A' }, /id/);
  refuse({ id: 'c-1', displayName: '' }, /displayName/);
  refuse({ id: 'c-1', displayName: 'A', summary: 'x'.repeat(10_001) }, /summary/);
  refuse(
    { id: 'c-1', displayName: 'A', skills: Array.from({ length: 501 }, () => ({ label: 'x' })) },
    /skills/,
  );
  refuse({ id: 'c-1', displayName: 'A', skills: [{ uri: 'u', label: 'l' }] }, /skills\.0/);
  refuse({ id: 'c-1', displayName: 'A', gender: 'female' }, /Unrecognized|unrecognized/);
  assert.throws(
    () => parseInput(VacancyInput, { id: 'v', title: 'T', status: 'MAYBE' }, 'vacancy'),
    BadUserInputError,
  );
});

test('GraphQL nulls count as absent', () => {
  assert.deepEqual(dropNulls({ a: null, b: [{ c: null, d: 1 }], e: 'x' }), { b: [{ d: 1 }], e: 'x' });
});

test('labels resolve case-insensitively; preferred beats alternative; ambiguity is refused', () => {
  const index = {
    uris: new Set(['u:py', 'u:prog', 'u:ml']),
    preferred: new Map([
      ['python (computer programming)', 'u:py'],
      ['programming', 'u:prog'],
    ]),
    alternative: new Map([
      ['python', ['u:py']],
      ['programming', ['u:py']],
      ['coding', ['u:py', 'u:prog']],
    ]),
    codes: new Map<string, string>(),
  };
  assert.equal(resolveIn(index, 'skill', { label: '  PYTHON ' }, 'skills[0]'), 'u:py');
  assert.equal(resolveIn(index, 'skill', { label: 'Programming' }, 'skills[0]'), 'u:prog');
  assert.equal(resolveIn(index, 'skill', { uri: 'u:ml' }, 'skills[0]'), 'u:ml');
  assert.throws(() => resolveIn(index, 'skill', { label: 'coding' }, 'skills[1]'), /ambiguous/);
  assert.throws(
    () => resolveIn(index, 'skill', { label: 'cobol' }, 'skills[2]'),
    (e: unknown) =>
      e instanceof UnresolvedConceptError &&
      e.code === 'BAD_USER_INPUT' &&
      e.details?.argument === 'skills[2]' &&
      /cobol/.test(e.message),
  );
  assert.throws(() => resolveIn(index, 'skill', { uri: 'u:nope' }, 'skills[0]'), /u:nope/);
});

test('CSV rows map to people records', () => {
  const candidate = csvRowToRecord({
    type: 'candidate',
    id: 'c-1',
    displayName: 'Ada',
    yearsExperience: '4',
    skills: 'http://data.europa.eu/esco/skill/x;statistics|extracted',
    occupations: 'data scientist|2',
    gender: 'female',
  });
  const parsed = parseInput(PeopleRecord, candidate, 'row');
  assert.equal(parsed.type, 'candidate');
  if (parsed.type === 'candidate') {
    assert.deepEqual(parsed.skills, [
      { uri: 'http://data.europa.eu/esco/skill/x', source: 'declared' },
      { label: 'statistics', source: 'extracted' },
    ]);
    assert.deepEqual(parsed.occupations, [{ label: 'data scientist', years: 2 }]);
    assert.deepEqual(parsed.sensitive, { gender: 'female' });
  }
  const vacancy = parseInput(
    PeopleRecord,
    csvRowToRecord({
      type: 'vacancy',
      id: 'v-1',
      title: 'T',
      occupation: '2511.4',
      essentialSkills: 'SQL',
      optionalSkills: 'R',
    }),
    'row',
  );
  assert.equal(vacancy.type === 'vacancy' && vacancy.occupation?.code, '2511.4');
  assert.throws(() => csvRowToRecord({ type: 'person' }), /type must be/);
});
