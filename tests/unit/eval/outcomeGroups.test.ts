import assert from 'node:assert/strict';
import { test } from 'vitest';
import { gradeApplications, OUTCOME_GRADES } from '../../../src/eval/outcomeGroups.js';

test('applicants are graded hired 2, progressed 1, rejected 0; statuses without a verdict are left out', () => {
  const graded = gradeApplications([
    { vacancyId: 'v1', candidateId: 'a', status: 'HIRED' },
    { vacancyId: 'v1', candidateId: 'b', status: 'INTERVIEW' },
    { vacancyId: 'v1', candidateId: 'c', status: 'TALENT_POOL' },
    { vacancyId: 'v1', candidateId: 'd', status: 'REJECTED' },
    { vacancyId: 'v1', candidateId: 'e', status: 'APPLIED' },
    { vacancyId: 'v1', candidateId: 'f', status: 'SCREENED' },
    { vacancyId: 'v1', candidateId: 'g', status: 'WITHDRAWN' },
  ]);
  assert.deepEqual(
    [...(graded.get('v1') ?? [])],
    [
      ['a', 2],
      ['b', 1],
      ['c', 1],
      ['d', 0],
    ],
  );
  assert.deepEqual(Object.keys(OUTCOME_GRADES).sort(), ['HIRED', 'INTERVIEW', 'REJECTED', 'TALENT_POOL']);
});

test('a vacancy whose graded applicants share one grade has no preference to learn and is dropped', () => {
  const graded = gradeApplications([
    { vacancyId: 'all-rejected', candidateId: 'a', status: 'REJECTED' },
    { vacancyId: 'all-rejected', candidateId: 'b', status: 'REJECTED' },
    { vacancyId: 'only-hire', candidateId: 'c', status: 'HIRED' },
    { vacancyId: 'only-hire', candidateId: 'd', status: 'APPLIED' },
    { vacancyId: 'mixed', candidateId: 'e', status: 'INTERVIEW' },
    { vacancyId: 'mixed', candidateId: 'f', status: 'REJECTED' },
  ]);
  assert.deepEqual([...graded.keys()], ['mixed']);
});
