/**
 * The people importer obeys the API's rules against a real Neo4j: transitions (HIRED stays HIRED,
 * a line without a status keeps the current one), no application in progress on a CLOSED
 * vacancy, strict UTF-8 (BOM accepted; Latin-1 bytes and lone surrogates refused per line with
 * their line numbers, nothing stored as U+FFFD), and a summary of what was refused.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import type { App } from '../../src/app.js';
import type { Neo4jGateway } from '../../src/graph/gateway.js';
import { ConceptResolver } from '../../src/graph/people/conceptResolver.js';
import { PeopleRepository } from '../../src/graph/people/peopleRepository.js';
import { formatPeopleReport, importPeople, readPeopleFiles } from '../../src/import/people/importPeople.js';
import { gql } from '../support/graphqlClient.js';
import { graphSnapshot } from '../support/snapshot.js';
import { startFixtureApp } from '../support/testEnv.js';

let app: App;
let gateway: Neo4jGateway;
let dir: string;

const importFile = (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return importPeople(
    gateway,
    new PeopleRepository(gateway),
    new ConceptResolver(gateway),
    readPeopleFiles([file]),
    {
      batchSize: 50,
    },
  );
};

async function status(candidateId: string, vacancyId: string): Promise<string | null> {
  const res = await gql<{
    candidate: { applications: Array<{ vacancy: { id: string }; status: string }> } | null;
  }>(app.url, 'query($id: ID!) { candidate(id: $id) { applications { vacancy { id } status } } }', {
    id: candidateId,
  });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data?.candidate?.applications.find((a) => a.vacancy.id === vacancyId)?.status ?? null;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talentgraph-import-rules-'));
  ({ app, gateway } = await startFixtureApp());
  const seed = await gql(
    app.url,
    `mutation {
      open: upsertVacancy(input: { id: "vac-open", title: "Data scientist" }) { id }
      closed: upsertVacancy(input: { id: "vac-closed", title: "Analyst", status: CLOSED }) { id }
      a: upsertCandidate(input: { id: "cand-hired", displayName: "Ada" }) { id }
      b: upsertCandidate(input: { id: "cand-screened", displayName: "Bo" }) { id }
      c: upsertCandidate(input: { id: "cand-new", displayName: "Cy" }) { id } }`,
  );
  assert.equal(seed.errors, undefined, JSON.stringify(seed.errors));
  for (const [candidate, path] of [
    ['cand-hired', ['SCREENED', 'INTERVIEW', 'HIRED']],
    ['cand-screened', ['SCREENED']],
  ] as const) {
    const applied = await gql(
      app.url,
      `mutation { recordApplication(candidateId: "${candidate}", vacancyId: "vac-open") { status } }`,
    );
    assert.equal(applied.errors, undefined, JSON.stringify(applied.errors));
    for (const to of path) {
      const moved = await gql(
        app.url,
        `mutation { updateApplicationStatus(candidateId: "${candidate}", vacancyId: "vac-open", status: ${to}) { status } }`,
      );
      assert.equal(moved.errors, undefined, JSON.stringify(moved.errors));
    }
  }
});
afterAll(async () => {
  await app.stop();
  await gateway.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('an import line cannot turn HIRED back into APPLIED, and says why', async () => {
  const before = await graphSnapshot(gateway);
  const report = await importFile(
    'rehire.jsonl',
    '{"type":"application","candidateId":"cand-hired","vacancyId":"vac-open","status":"APPLIED"}\n',
  );
  assert.equal(report.written.applications, 0);
  assert.deepEqual(
    report.issues.map((i) => [i.line, i.field]),
    [[1, 'status']],
  );
  assert.match(report.issues[0]?.reason ?? '', /cannot go from HIRED to APPLIED \(HIRED is final\)/);
  assert.equal(await status('cand-hired', 'vac-open'), 'HIRED');
  assert.deepEqual(await graphSnapshot(gateway), before);
  assert.match(formatPeopleReport(report), /rejected: 1 rows \(status: 1\)/);
});

test('a CSV row without a status keeps SCREENED; the same status again is unchanged', async () => {
  const before = await graphSnapshot(gateway);
  const report = await importFile(
    'nostatus.csv',
    'type,candidateId,vacancyId,status\napplication,cand-screened,vac-open,\napplication,cand-hired,vac-open,HIRED\n',
  );
  assert.equal(report.rejectedCount, 0, JSON.stringify(report.issues));
  assert.equal(report.unchangedApplications, 2);
  assert.equal(await status('cand-screened', 'vac-open'), 'SCREENED');
  assert.deepEqual(await graphSnapshot(gateway), before, 'updatedAt is not rewritten either');
});

test('a CLOSED vacancy takes no application in progress, but its past outcomes import', async () => {
  const report = await importFile(
    'closed.jsonl',
    [
      '{"type":"application","candidateId":"cand-new","vacancyId":"vac-closed"}',
      '{"type":"application","candidateId":"cand-screened","vacancyId":"vac-closed","status":"REJECTED","at":"2026-01-05T00:00:00Z"}',
    ].join('\n'),
  );
  assert.deepEqual(
    report.issues.map((i) => [i.line, i.field]),
    [[1, 'vacancyId']],
  );
  assert.match(report.issues[0]?.reason ?? '', /vac-closed is closed/);
  assert.equal(report.written.applications, 1);
  assert.equal(await status('cand-new', 'vac-closed'), null);
  assert.equal(await status('cand-screened', 'vac-closed'), 'REJECTED');
});

test('encodings: BOM accepted; Latin-1 bytes and lone surrogates refused with their lines, nothing stored as U+FFFD', async () => {
  const before = await graphSnapshot(gateway);
  const latin1 = Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from('{"type":"candidate","id":"cand-bom","displayName":"Dee"}\n'),
    Buffer.from('{"type":"candidate","id":"cand-latin","displayName":"Jos'),
    Buffer.from([0xe9]),
    Buffer.from('"}\n{"type":"candidate","id":"cand-lone","displayName":"x\\ud800y"}\n'),
  ]);
  const report = await importFile('mixed.jsonl', latin1);
  assert.equal(report.written.candidates, 1, 'the BOM line is line 1 and valid');
  assert.deepEqual(
    report.issues.map((i) => [i.line, i.field]),
    [
      [2, '(line)'],
      [3, '(line)'],
    ],
  );
  assert.match(report.issues[0]?.reason ?? '', /not valid UTF-8/);
  assert.match(report.issues[1]?.reason ?? '', /displayName: a lone surrogate/);

  const csv = Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from('type,id,displayName\ncandidate,cand-csv-ok,Eve\ncandidate,cand-csv-bad,Ren'),
    Buffer.from([0xe9]),
    Buffer.from('e\n'),
  ]);
  const csvReport = await importFile('latin1.csv', csv);
  assert.equal(csvReport.written.candidates, 1);
  assert.deepEqual(
    csvReport.issues.map((i) => [i.line, i.field]),
    [[3, '(line)']],
  );
  const rows = await gateway.read('people/candidates-by-id', {
    keys: ['cand-bom', 'cand-latin', 'cand-lone', 'cand-csv-ok', 'cand-csv-bad'],
  });
  const stored = rows.filter((r) => r.node !== null).map((r) => JSON.stringify(r.node));
  assert.equal(stored.length, 2, stored.join('\n'));
  assert.equal(stored.filter((s) => s.includes('\uFFFD')).length, 0);
  const after = await graphSnapshot(gateway);
  assert.notDeepEqual(after, before, 'the two valid candidates were written');
});
