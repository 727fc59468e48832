/**
 * What the console builds on: `viewer` (who the server says the caller is, and what the role may
 * use) and the vacancy title filter, through the real API on the ESCO test store.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { generateApiKey } from '../../src/security/credentials.js';
import { errorCodes, gql } from '../support/graphqlClient.js';
import { escoUri, silentLog, TEST_API_KEYS, testConfig } from '../support/testEnv.js';

interface Viewer {
  role: string;
  organizationId: string | null;
  organization: { id: string; name: string } | null;
  pseudonymised: boolean;
  operations: string[];
  deniedFields: string[];
}
const VIEWER =
  '{ viewer { role organizationId organization { id name } pseudonymised operations deniedFields } }';

let app: App;
let closed: App;
let org: { id: string; name: string };
let titles: { id: string; title: string; organization: { id: string } | null }[];
const keys: Record<string, string> = {};

beforeAll(async () => {
  const recruiter = generateApiKey('viewer-recruiter', 'RECRUITER', 'org-001');
  const partner = generateApiKey('viewer-partner', 'PARTNER', 'org-001');
  const analyst = generateApiKey('viewer-analyst', 'ANALYST', null);
  keys.recruiter = recruiter.key;
  keys.partner = partner.key;
  keys.analyst = analyst.key;
  const apiKeys = [TEST_API_KEYS, recruiter.entry, partner.entry, analyst.entry].join(',');
  [app, closed] = await Promise.all([
    startApp(testConfig(escoUri(), { API_KEYS: apiKeys }), silentLog),
    startApp(testConfig(escoUri(), { API_KEYS: apiKeys, ANONYMOUS_ACCESS: 'none' }), silentLog),
  ]);
  const all = await gql<{ vacancies: { nodes: typeof titles } }>(
    app.url,
    '{ vacancies(first: 100) { nodes { id title organization { id name } } } }',
  );
  titles = all.data!.vacancies.nodes;
  const named = titles.find((v) => v.organization?.id === 'org-001') as unknown as {
    organization: { id: string; name: string };
  };
  org = named.organization;
});
afterAll(async () => {
  await Promise.all([app?.stop(), closed?.stop()]);
});

test('viewer: each role as the server sees it, with the operations and denied fields it enforces', async () => {
  const as = async (key: string | null | undefined) =>
    (await gql<{ viewer: Viewer }>(app.url, VIEWER, {}, key === undefined ? {} : { key })).data!.viewer;
  const anonymous = await as(null);
  assert.equal(anonymous.role, 'ANONYMOUS');
  assert.ok(anonymous.operations.includes('Query.normalizeJobTitle'));
  assert.ok(!anonymous.operations.includes('Query.rankCandidates'));
  const recruiter = await as(keys.recruiter);
  assert.deepEqual(
    [recruiter.role, recruiter.organizationId, recruiter.organization],
    ['RECRUITER', 'org-001', org],
  );
  assert.equal(recruiter.pseudonymised, false);
  assert.ok(
    recruiter.operations.includes('Query.rankCandidates') && recruiter.operations.includes('Query.skillGap'),
  );
  assert.ok(!recruiter.operations.some((o) => o.startsWith('Mutation.')));
  const partner = await as(keys.partner);
  assert.equal(partner.pseudonymised, true);
  assert.ok(partner.deniedFields.includes('Candidate.displayName'));
  assert.ok(!partner.operations.includes('Query.skillGap'));
  const analyst = await as(keys.analyst);
  assert.deepEqual([analyst.role, analyst.organization, analyst.pseudonymised], ['ANALYST', null, true]);
  assert.ok(
    analyst.operations.includes('Query.skillDemand') && !analyst.operations.includes('Query.rankCandidates'),
  );
  const admin = await as(undefined);
  assert.ok(admin.operations.includes('Mutation.deleteCandidate'));
  // What the viewer leaves out, the server refuses before running anything.
  const gap = await gql(
    app.url,
    '{ skillGap(candidateId: "cand-000001", target: { occupationUri: "x" }) { __typename } }',
    {},
    { key: keys.partner! },
  );
  assert.deepEqual(errorCodes(gap), ['FORBIDDEN']);
  // With ANONYMOUS_ACCESS=none an anonymous caller is told to authenticate, like for every field.
  assert.deepEqual(errorCodes(await gql(closed.url, VIEWER, {}, { key: null })), ['UNAUTHENTICATED']);
});

test('vacancies(filter: { titleContains }): case-insensitive substring, still pinned to a recruiter organization; bad values refused', async () => {
  const sample = titles[0]!;
  const word = sample.title.split(' ')[0]!;
  const expected = titles
    .filter((v) => v.title.toLowerCase().includes(word.toLowerCase()))
    .map((v) => v.id)
    .sort();
  const q =
    'query($f: VacancyFilter) { vacancies(filter: $f, first: 100) { totalCount nodes { id title organization { id } } } }';
  const found = await gql<{
    vacancies: { totalCount: number; nodes: { id: string; organization: { id: string } | null }[] };
  }>(app.url, q, { f: { titleContains: `  ${word.toUpperCase()} ` } });
  assert.deepEqual(found.data!.vacancies.nodes.map((v) => v.id).sort(), expected);
  assert.equal(found.data!.vacancies.totalCount, expected.length);
  const mine = await gql<{ vacancies: { nodes: { organization: { id: string } | null }[] } }>(
    app.url,
    q,
    { f: { titleContains: word } },
    { key: keys.recruiter! },
  );
  assert.ok(mine.data!.vacancies.nodes.every((v) => v.organization?.id === 'org-001'));
  for (const bad of ['', '   ', 'x'.repeat(101)]) {
    const r = await gql(app.url, q, { f: { titleContains: bad } });
    assert.deepEqual(errorCodes(r), ['BAD_USER_INPUT'], JSON.stringify(bad));
    const details = r.errors?.[0]?.extensions?.details;
    assert.equal(details?.argument, 'filter.titleContains');
  }
});
