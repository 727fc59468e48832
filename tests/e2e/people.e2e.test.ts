/**
 * People mutations and queries over HTTP against the scratch database holding the ESCO fixture:
 * happy paths, and failure paths that must leave the graph exactly as it was.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import type { Neo4jGateway } from '../../src/graph/gateway.js';
import { importEsco } from '../../src/import/esco/importEsco.js';
import { errorCodes, gql } from '../support/graphqlClient.js';
import { graphSnapshot } from '../support/snapshot.js';
import { createTestGateway, FIXTURES, scratchUri, silentLog, testConfig } from '../support/testEnv.js';

const E = 'http://data.europa.eu/esco';
let app: App;
let gateway: Neo4jGateway;

beforeAll(async () => {
  gateway = createTestGateway(scratchUri());
  await gateway.runAutoCommit('admin/wipe');
  await importEsco(gateway, {
    sources: [path.join(FIXTURES, 'esco-mini')],
    batchSize: 100,
    version: 'fixture',
  });
  app = await startApp(testConfig(scratchUri(), { DEMO_AUTOLOAD: 'false' }), silentLog);
});
afterAll(async () => {
  await app.stop();
  await gateway.close();
});

const UPSERT_CANDIDATE = `mutation($input: CandidateInput!) { upsertCandidate(input: $input) {
  id displayName region summary skills { source level skill { uri preferredLabel } } occupations { years occupation { code } } } }`;
const UPSERT_VACANCY = `mutation($input: VacancyInput!) { upsertVacancy(input: $input) {
  id title status organization { id name } occupation { code } essentialSkills { uri } optionalSkills { uri } } }`;

/** Runs a request that must fail with `code` and change nothing. */
async function refusedWithoutChange(
  query: string,
  variables: Record<string, unknown>,
  code: string,
): Promise<string> {
  const before = await graphSnapshot(gateway);
  const res = await gql(app.url, query, variables);
  assert.deepEqual(errorCodes(res), [code], JSON.stringify(res.errors));
  assert.deepEqual(await graphSnapshot(gateway), before, 'the graph is unchanged');
  return res.errors?.[0]?.message ?? '';
}

describe('candidates and vacancies', () => {
  test('upsertCandidate resolves skills by label (case-insensitive) and uri, and replaces on a second upsert', async () => {
    const res = await gql<{
      upsertCandidate: {
        skills: Array<{ source: string; skill: { uri: string } }>;
        occupations: Array<{ years: number; occupation: { code: string } }>;
      };
    }>(app.url, UPSERT_CANDIDATE, {
      input: {
        id: 'cand-1',
        displayName: 'Ada L.',
        region: 'Bavaria',
        yearsExperience: 4,
        summary: 'Builds models in Python.',
        skills: [
          { label: 'PYTHON' },
          { uri: `${E}/skill/sk-stats`, source: 'EXTRACTED', level: 4 },
          { label: 'python programming' },
        ],
        occupations: [{ label: 'data scientist', years: 3 }],
        sensitive: { gender: 'FEMALE', ageBand: 'FROM_25_TO_34' },
      },
    });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const c = res.data?.upsertCandidate;
    assert.deepEqual(
      c?.skills.map((s) => [s.skill.uri, s.source]),
      [
        [`${E}/skill/sk-python`, 'DECLARED'],
        [`${E}/skill/sk-stats`, 'EXTRACTED'],
      ],
    );
    assert.deepEqual(c?.occupations, [{ years: 3, occupation: { code: '2511.4' } }]);

    const again = await gql<{ upsertCandidate: { skills: unknown[]; summary: string | null } }>(
      app.url,
      UPSERT_CANDIDATE,
      {
        input: { id: 'cand-1', displayName: 'Ada L.', skills: [{ label: 'SQL' }] },
      },
    );
    assert.equal(again.data?.upsertCandidate.skills.length, 1);
    assert.equal(again.data?.upsertCandidate.summary, null, 'an upsert replaces the whole candidate');
  });

  test('sensitive attributes are stored for audits but are not in the schema', async () => {
    const res = await gql(app.url, '{ candidate(id: "cand-1") { id gender } }');
    assert.deepEqual(errorCodes(res), ['GRAPHQL_VALIDATION_FAILED']);
  });

  test('upsertVacancy links organization, occupation and skills', async () => {
    const res = await gql<{
      upsertVacancy: {
        organization: { name: string };
        occupation: { code: string };
        essentialSkills: unknown[];
        optionalSkills: unknown[];
      };
    }>(app.url, UPSERT_VACANCY, {
      input: {
        id: 'vac-1',
        title: 'Data scientist',
        region: 'Bavaria',
        organization: { id: 'org-1', name: 'Acme' },
        occupation: { code: '2511.4' },
        skills: [
          { label: 'Python', relation: 'ESSENTIAL' },
          { label: 'statistics', relation: 'ESSENTIAL' },
          { uri: `${E}/skill/sk-sql`, relation: 'OPTIONAL' },
        ],
      },
    });
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.equal(res.data?.upsertVacancy.organization.name, 'Acme');
    assert.equal(res.data?.upsertVacancy.occupation.code, '2511.4');
    assert.equal(res.data?.upsertVacancy.essentialSkills.length, 2);
    assert.equal(res.data?.upsertVacancy.optionalSkills.length, 1);
    await gql(app.url, UPSERT_VACANCY, {
      input: { id: 'vac-closed', title: 'Old job', status: 'CLOSED', occupation: { code: '2511.5' } },
    });
  });

  test('unknown skills, occupations and bad values are BAD_USER_INPUT naming them, and write nothing', async () => {
    const msg = await refusedWithoutChange(
      UPSERT_CANDIDATE,
      { input: { id: 'cand-2', displayName: 'B', skills: [{ label: 'SQL' }, { label: 'basket weaving' }] } },
      'BAD_USER_INPUT',
    );
    assert.match(msg, /basket weaving/);
    assert.match(
      await refusedWithoutChange(
        UPSERT_CANDIDATE,
        { input: { id: 'cand-2', displayName: 'B', skills: [{ uri: `${E}/skill/nope` }] } },
        'BAD_USER_INPUT',
      ),
      /skill\/nope/,
    );
    assert.match(
      await refusedWithoutChange(
        UPSERT_VACANCY,
        { input: { id: 'vac-2', title: 'X', occupation: { label: 'astronaut' } } },
        'BAD_USER_INPUT',
      ),
      /astronaut/,
    );
    await refusedWithoutChange(
      UPSERT_CANDIDATE,
      { input: { id: 'cand-2', displayName: 'B', summary: 'x'.repeat(10_001) } },
      'BAD_USER_INPUT',
    );
    await refusedWithoutChange(
      UPSERT_CANDIDATE,
      { input: { id: 'bad id', displayName: 'B' } },
      'BAD_USER_INPUT',
    );
    await refusedWithoutChange(
      UPSERT_VACANCY,
      {
        input: {
          id: 'vac-2',
          title: 'X',
          skills: [
            { label: 'SQL', relation: 'ESSENTIAL' },
            { label: 'sql', relation: 'OPTIONAL' },
          ],
        },
      },
      'BAD_USER_INPUT',
    );
    // An existing candidate is not half-updated by a refused upsert either.
    await refusedWithoutChange(
      UPSERT_CANDIDATE,
      { input: { id: 'cand-1', displayName: 'Changed', skills: [{ label: 'nope' }] } },
      'BAD_USER_INPUT',
    );
  });
});

describe('applications', () => {
  const RECORD =
    'mutation($c: ID!, $v: ID!) { recordApplication(candidateId: $c, vacancyId: $v) { status candidate { id } vacancy { id } } }';
  const UPDATE =
    'mutation($c: ID!, $v: ID!, $s: ApplicationStatus!, $r: Boolean) { updateApplicationStatus(candidateId: $c, vacancyId: $v, status: $s, reopen: $r) { status } }';

  test('record, then move through allowed transitions', async () => {
    const res = await gql<{ recordApplication: { status: string; candidate: { id: string } } }>(
      app.url,
      RECORD,
      { c: 'cand-1', v: 'vac-1' },
    );
    assert.equal(res.data?.recordApplication.status, 'APPLIED');
    for (const s of ['SCREENED', 'INTERVIEW', 'TALENT_POOL']) {
      const r = await gql<{ updateApplicationStatus: { status: string } }>(app.url, UPDATE, {
        c: 'cand-1',
        v: 'vac-1',
        s,
      });
      assert.equal(r.data?.updateApplicationStatus.status, s, JSON.stringify(r.errors));
    }
    const reopened = await gql<{ updateApplicationStatus: { status: string } }>(app.url, UPDATE, {
      c: 'cand-1',
      v: 'vac-1',
      s: 'INTERVIEW',
      r: true,
    });
    assert.equal(reopened.data?.updateApplicationStatus.status, 'INTERVIEW');
    const hired = await gql<{ updateApplicationStatus: { status: string } }>(app.url, UPDATE, {
      c: 'cand-1',
      v: 'vac-1',
      s: 'HIRED',
    });
    assert.equal(hired.data?.updateApplicationStatus.status, 'HIRED');
  });

  test('invalid transitions, duplicates, closed vacancies and unknown ids change nothing', async () => {
    assert.match(
      await refusedWithoutChange(
        UPDATE,
        { c: 'cand-1', v: 'vac-1', s: 'REJECTED', r: true },
        'BAD_USER_INPUT',
      ),
      /HIRED is final/,
    );
    await refusedWithoutChange(RECORD, { c: 'cand-1', v: 'vac-1' }, 'CONFLICT');
    await refusedWithoutChange(RECORD, { c: 'cand-1', v: 'vac-closed' }, 'BAD_USER_INPUT');
    await refusedWithoutChange(RECORD, { c: 'cand-404', v: 'vac-1' }, 'NOT_FOUND');
    await refusedWithoutChange(RECORD, { c: 'cand-1', v: 'vac-404' }, 'NOT_FOUND');
    await refusedWithoutChange(UPDATE, { c: 'cand-1', v: 'vac-closed', s: 'SCREENED' }, 'NOT_FOUND');
    await refusedWithoutChange(UPDATE, { c: 'cand-1', v: 'vac-1', s: 'PROMOTED' }, 'BAD_USER_INPUT');
  });

  test('queries: candidate with skills and applications, vacancies with filters', async () => {
    const res = await gql<{
      candidate: {
        skills: Array<{ skill: { preferredLabel: string } }>;
        applications: Array<{ status: string; vacancy: { id: string } }>;
      };
      vacancies: {
        totalCount: number;
        nodes: Array<{ id: string; applications: Array<{ candidate: { id: string } }> }>;
      };
      open: { totalCount: number };
      byOrg: { totalCount: number };
      candidates: { totalCount: number };
    }>(
      app.url,
      `{ candidate(id: "cand-1") { skills { skill { preferredLabel } } applications { status vacancy { id } } }
         vacancies(first: 5) { totalCount nodes { id applications(status: HIRED) { candidate { id } } } }
         open: vacancies(filter: { status: OPEN }) { totalCount }
         byOrg: vacancies(filter: { organization: "org-1", occupation: "${E}/occupation/occ-ds" }) { totalCount }
         candidates(filter: { region: "Bavaria" }) { totalCount } }`,
    );
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.deepEqual(res.data?.candidate.applications, [{ status: 'HIRED', vacancy: { id: 'vac-1' } }]);
    assert.equal(res.data?.vacancies.totalCount, 2);
    assert.equal(res.data?.open.totalCount, 1);
    assert.equal(res.data?.byOrg.totalCount, 1);
    const vac1 = res.data?.vacancies.nodes.find((v) => v.id === 'vac-1');
    assert.deepEqual(vac1?.applications, [{ candidate: { id: 'cand-1' } }]);
    assert.equal(res.data?.candidates.totalCount, 0, 'the second upsert removed the region');
  });
});

describe('erasure', () => {
  test('deleteCandidate removes the person, their edges and audit attributes', async () => {
    await gql(app.url, UPSERT_CANDIDATE, {
      input: { id: 'cand-3', displayName: 'C', skills: [{ label: 'SQL' }], sensitive: { gender: 'MALE' } },
    });
    await gql(
      app.url,
      'mutation { recordApplication(candidateId: "cand-3", vacancyId: "vac-1") { status } }',
    );
    const before = await graphSnapshot(gateway);
    const res = await gql<{ deleteCandidate: { deleted: boolean; applicationsRemoved: number } }>(
      app.url,
      'mutation { deleteCandidate(id: "cand-3") { deleted applicationsRemoved } }',
    );
    assert.deepEqual(res.data?.deleteCandidate, { deleted: true, applicationsRemoved: 1 });
    const after = await graphSnapshot(gateway);
    assert.equal(after.nodes, before.nodes - 2, 'the candidate and their sensitive profile are gone');
    assert.deepEqual(errorCodes(await gql(app.url, '{ candidate(id: "cand-3") { id } }')), ['NOT_FOUND']);
    const again = await gql<{ deleteCandidate: { deleted: boolean; applicationsRemoved: number } }>(
      app.url,
      'mutation { deleteCandidate(id: "cand-3") { deleted applicationsRemoved } }',
    );
    assert.deepEqual(
      again.data?.deleteCandidate,
      { deleted: false, applicationsRemoved: 0 },
      'erasure is idempotent',
    );
  });
});
