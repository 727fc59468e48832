/**
 * The importer's application rules (the API's own) and its strict text decoding, as pure logic.
 * The same rules against a real Neo4j: tests/e2e/badInput.e2e.test.ts.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'vitest';
import type { ApplicationInput } from '../../../src/domain/peopleInput.js';
import { PeopleRecord, isPlausibleDate, transitionRefusal } from '../../../src/domain/peopleInput.js';
import type { ApplicationState } from '../../../src/graph/people/peopleRepository.js';
import { parseInput } from '../../../src/graph/people/peopleRows.js';
import { decideApplications } from '../../../src/import/people/importPeople.js';
import { firstInvalidByte, loneSurrogatePath, readUtf8Lines } from '../../../src/import/people/utf8Lines.js';

const line = (n: number, row: Partial<ApplicationInput>) => ({
  origin: 'f.jsonl',
  line: n,
  row: { candidateId: 'c1', vacancyId: 'v1', ...row },
});
const state = (applicationStatus: string | null, vacancyStatus = 'OPEN'): ApplicationState => ({
  candidateFound: true,
  vacancyFound: true,
  vacancyStatus,
  applicationStatus,
});

describe('application rules on import', () => {
  test('a final status stays final: APPLIED over HIRED is refused with the API wording', () => {
    const out = decideApplications([line(3, { status: 'APPLIED' })], [state('HIRED')]);
    assert.equal(out.accepted.length, 0);
    assert.deepEqual(out.refused, [
      { origin: 'f.jsonl', line: 3, field: 'status', reason: transitionRefusal('HIRED', 'APPLIED', false) },
    ]);
    assert.match(out.refused[0]?.reason ?? '', /HIRED is final/);
  });

  test('a line without a status keeps the current one (no reset to APPLIED)', () => {
    const out = decideApplications([line(2, {})], [state('SCREENED')]);
    assert.deepEqual(out, { accepted: [], refused: [], unchanged: 1 });
  });

  test('the same status again is unchanged, an allowed move is written', () => {
    const out = decideApplications(
      [line(2, { status: 'INTERVIEW' }), line(3, { status: 'HIRED', updatedAt: '2026-03-01T00:00:00Z' })],
      [state('INTERVIEW'), state('INTERVIEW')],
    );
    assert.equal(out.unchanged, 1);
    assert.deepEqual(
      out.accepted.map((a) => a.status),
      ['HIRED'],
    );
  });

  test('a new application in progress on a CLOSED vacancy is refused; a past outcome is history', () => {
    const out = decideApplications(
      [line(2, {}), line(3, { candidateId: 'c2', status: 'REJECTED' })],
      [state(null, 'CLOSED'), state(null, 'CLOSED')],
    );
    assert.deepEqual(
      out.refused.map((r) => [r.line, r.field]),
      [[2, 'vacancyId']],
    );
    assert.deepEqual(
      out.accepted.map((a) => [a.candidateId, a.status]),
      [['c2', 'REJECTED']],
    );
  });

  test('lines for one pair apply in file order: the second moves from the first one status', () => {
    const out = decideApplications(
      [line(2, { status: 'APPLIED' }), line(3, { status: 'SCREENED' }), line(4, { status: 'HIRED' })],
      [state(null), state(null), state(null)],
    );
    assert.deepEqual(
      out.accepted.map((a) => a.status),
      ['APPLIED', 'SCREENED'],
    );
    assert.deepEqual(
      out.refused.map((r) => [r.line, r.field]),
      [[4, 'status']],
    );
  });

  test('missing ends are refused per line', () => {
    const out = decideApplications(
      [line(2, {}), line(3, {})],
      [
        { ...state(null), candidateFound: false },
        { ...state(null), vacancyFound: false },
      ],
    );
    assert.deepEqual(
      out.refused.map((r) => r.field),
      ['candidateId', 'vacancyId'],
    );
  });
});

describe('strict text', () => {
  const lines = async (bytes: Buffer) => {
    const out = [];
    for await (const l of readUtf8Lines(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)])))
      out.push(l);
    return out;
  };

  test('a UTF-8 BOM is dropped, CRLF accepted, the last line may lack its LF', async () => {
    const out = await lines(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}\r\nzwei ü\nlast')]),
    );
    assert.deepEqual(out, [
      { line: 1, text: '{"a":1}' },
      { line: 2, text: 'zwei ü' },
      { line: 3, text: 'last' },
    ]);
  });

  test('Latin-1 bytes are reported with their line and offset, not turned into U+FFFD', async () => {
    const out = await lines(
      Buffer.concat([Buffer.from('ok\nCaf'), Buffer.from([0xe9]), Buffer.from('\nok\n')]),
    );
    assert.equal(out[0]?.text, 'ok');
    assert.equal(out[1]?.text, null);
    assert.match(out[1]?.problem ?? '', /not valid UTF-8 \(first invalid byte at offset 3\)/);
    assert.equal(out[2]?.text, 'ok');
    assert.equal(firstInvalidByte(Buffer.from([0x61, 0xc3, 0xa9, 0xff])), 3);
  });

  test('lone surrogates are found with their path; paired ones are fine', () => {
    assert.equal(loneSurrogatePath(JSON.parse('{"summary":"a\\ud800b"}')), 'summary');
    assert.equal(
      loneSurrogatePath(JSON.parse('{"skills":[{"label":"x"},{"label":"\\udc00"}]}')),
      'skills[1].label',
    );
    assert.equal(loneSurrogatePath(JSON.parse('{"summary":"\\ud83d\\ude00"}')), null);
  });
});

describe('people input bounds shared by the API and the importer', () => {
  const candidate = (displayName: string) => ({ type: 'candidate', id: 'c-1', displayName });
  const refused = (value: unknown, pattern: RegExp) =>
    assert.throws(
      () => parseInput(PeopleRecord, value, 'row'),
      (e: unknown) => e instanceof Error && pattern.test(e.message),
    );

  test('names made only of NUL, zero-width or blank characters are refused', () => {
    refused(candidate('\u0000\u0000'), /control characters/);
    refused(candidate('\u200b\u200d\ufeff'), /visible character/);
    refused(candidate('   '), /empty/);
    assert.equal(parseInput(PeopleRecord, candidate('Zoë 李'), 'row').type, 'candidate');
  });

  test('dates must be plausible: 9999-12-31 and 1800 are refused, today is fine', () => {
    const application = (at: string) => ({ type: 'application', candidateId: 'c', vacancyId: 'v', at });
    refused(application('9999-12-31T00:00:00Z'), /between 1900-01-01 and tomorrow/);
    refused(application('1800-01-01T00:00:00Z'), /between 1900-01-01 and tomorrow/);
    assert.ok(isPlausibleDate(new Date().toISOString()));
    assert.ok(!isPlausibleDate('2026-12-10T00:00:00Z', Date.UTC(2026, 11, 2)));
  });
});
