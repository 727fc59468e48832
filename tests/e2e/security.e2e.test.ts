/**
 * Security over HTTP on the ESCO test database with its demo dataset and the real models:
 * roles per field (API keys and JWTs), organization scoping, partner pseudonyms, query limits
 * with their codes, persisted queries, batches, introspection, rate limits, timeouts, bad
 * credentials, logs free of personal data and secrets, readiness and draining on shutdown.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { pino } from 'pino';
import { startApp, type App } from '../../src/app.js';
import { generateApiKey } from '../../src/security/credentials.js';
import {
  errorCodes,
  gql,
  postRaw,
  TEST_ADMIN_KEY,
  type Credentials,
  type GraphQLResponse,
} from '../support/graphqlClient.js';
import { graphSnapshot } from '../support/snapshot.js';
import { createTestGateway, escoUri, silentLog, TEST_API_KEYS, testConfig } from '../support/testEnv.js';
import type { Neo4jGateway } from '../../src/graph/gateway.js';

const JWT_SECRET = 'e2e-jwt-secret-with-at-least-32-characters';
const analystKey = generateApiKey('e2e-analyst', 'ANALYST', null);
const logLines: string[] = [];
const logSink = new Writable({
  write(chunk: Buffer, _enc, done) {
    logLines.push(chunk.toString('utf8'));
    done();
  },
});

let app: App;
let gateway: Neo4jGateway;
let orgA: string;
let orgB: string;
let vacA: string;
let vacB: string;
let applicantA: string;
let outsiderA: string;

function jwt(role: string, org?: string, sub = 'e2e-user'): Promise<string> {
  return new SignJWT({ role, ...(org ? { org } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setAudience('talentgraph')
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(JWT_SECRET));
}

let recruiter: Credentials;
let partner: Credentials;
const analyst: Credentials = { key: analystKey.key };
const anonymous: Credentials = { key: null };

beforeAll(async () => {
  gateway = createTestGateway(escoUri());
  app = await startApp(
    testConfig(escoUri(), {
      API_KEYS: `${TEST_API_KEYS},${analystKey.entry}`,
      JWT_SECRET,
      JWT_AUDIENCE: 'talentgraph',
      LOG_LEVEL: 'debug',
      // Lets the throttling test below use an address of its own (x-forwarded-for).
      TRUST_PROXY: 'true',
    }),
    pino({ level: 'debug' }, logSink),
  );
  // Two organizations from the demo data: one with a vacancy that has applicants.
  const res = await gql<{
    vacancies: {
      nodes: Array<{
        id: string;
        organization: { id: string } | null;
        applications: Array<{ candidate: { id: string } | null }>;
      }>;
    };
  }>(
    app.url,
    '{ vacancies(first: 100) { nodes { id organization { id } applications { candidate { id } } } } }',
  );
  const nodes = res.data?.vacancies.nodes ?? [];
  const withApplicants = nodes.find((v) => v.organization && v.applications.length > 0);
  assert.ok(withApplicants?.organization, 'a vacancy with applicants');
  orgA = withApplicants.organization.id;
  vacA = withApplicants.id;
  applicantA = withApplicants.applications[0]?.candidate?.id ?? '';
  const other = nodes.find((v) => v.organization && v.organization.id !== orgA);
  assert.ok(other?.organization);
  orgB = other.organization.id;
  vacB = other.id;
  const applicantsOfA = new Set(
    nodes
      .filter((v) => v.organization?.id === orgA)
      .flatMap((v) => v.applications.map((a) => a.candidate?.id)),
  );
  const cands = await gql<{ candidates: { nodes: Array<{ id: string }> } }>(
    app.url,
    '{ candidates(first: 100) { nodes { id } } }',
  );
  outsiderA = cands.data?.candidates.nodes.find((c) => !applicantsOfA.has(c.id))?.id ?? '';
  assert.ok(applicantA && outsiderA);
  recruiter = { token: await jwt('RECRUITER', orgA, 'recruiter-a') };
  partner = { token: await jwt('PARTNER', orgA, 'partner-a') };
});
afterAll(async () => {
  await app.stop();
  await gateway.close();
});

const RANK = 'query($v: ID!) { rankCandidates(vacancyId: $v, k: 5) { items { rank candidate { id } } } }';
const RANK_NAMES =
  'query($v: ID!) { rankCandidates(vacancyId: $v, k: 5) { items { candidate { id displayName summary } } } }';

describe('roles', () => {
  test('anonymous: taxonomy only; people data needs authentication', async () => {
    const ok = await gql(app.url, '{ occupation(code: "2511.4") { preferredLabel } }', {}, anonymous);
    assert.equal(ok.errors, undefined);
    for (const q of [
      RANK,
      '{ candidates { totalCount } }',
      'mutation { deleteCandidate(id: "x") { deleted } }',
    ]) {
      const res = await gql(app.url, q, { v: vacA }, anonymous);
      assert.deepEqual(errorCodes(res), ['UNAUTHENTICATED'], q);
      assert.equal(res.status, 401);
    }
  });

  test('bad credentials are refused (never downgraded to anonymous)', async () => {
    for (const c of [
      { key: 'tg_wrong' },
      { token: 'not.a.jwt' },
      { token: await jwt('RECRUITER', orgA, 'x').then((t) => `${t}x`) },
      { headers: { authorization: 'Basic abc' }, key: null },
    ]) {
      const res = await gql(app.url, '{ escoDataset { version } }', {}, c);
      assert.equal(res.status, 401, JSON.stringify(c));
      assert.deepEqual(errorCodes(res), ['UNAUTHENTICATED']);
    }
  });

  test('failed authentications are throttled per IP (#15 item 10): 429 with retry-after after 10', async () => {
    const from = { 'x-forwarded-for': '203.0.113.50' };
    const statuses: number[] = [];
    let last: GraphQLResponse | undefined;
    for (let i = 0; i < 30; i += 1) {
      last = await gql(app.url, '{ escoDataset { version } }', {}, { key: `tg_guess-${i}`, headers: from });
      statuses.push(last.status);
    }
    assert.deepEqual(statuses.slice(0, 10), Array<number>(10).fill(401));
    assert.deepEqual(new Set(statuses.slice(10)), new Set([429]));
    assert.deepEqual(errorCodes(last ?? { status: 0 }), ['RATE_LIMITED']);
    assert.ok(Number(last?.headers?.get('retry-after')) >= 1);
    // Other addresses are not affected.
    const ok = await gql(
      app.url,
      '{ escoDataset { version } }',
      {},
      { headers: { 'x-forwarded-for': '203.0.113.51' } },
    );
    assert.equal(ok.errors, undefined);
  });

  test('GET follows the body rules; a persisted-query hash mismatch is BAD_REQUEST (#15 item 10)', async () => {
    const get = async (params: Record<string, string>) => {
      const res = await fetch(`${app.url}?${new URLSearchParams(params).toString()}`, {
        headers: { 'x-api-key': TEST_ADMIN_KEY, 'apollo-require-preflight': 'true' },
      });
      return {
        status: res.status,
        body: (await res.json()) as { errors?: Array<{ extensions: { code: string } }> },
      };
    };
    const query = 'query($t: String!) { search(text: $t, first: 1) { __typename } }';
    const surrogate = await get({ query, variables: '{"t":"data\\ud800"}' });
    assert.equal(surrogate.status, 400);
    assert.equal(surrogate.body.errors?.[0]?.extensions.code, 'BAD_USER_INPUT');
    const notUtf8 = await fetch(`${app.url}?query=%7B__typename%7D%ED%A0%80`, {
      headers: { 'x-api-key': TEST_ADMIN_KEY, 'apollo-require-preflight': 'true' },
    });
    assert.equal(notUtf8.status, 400);
    const wrongHash = { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } };
    for (const res of [
      await postRaw(app.url, JSON.stringify({ query: '{ __typename }', extensions: wrongHash })),
      await get({ query: '{ __typename }', extensions: JSON.stringify(wrongHash) }).then((r) => ({
        status: r.status,
        errors: r.body.errors,
      })),
    ]) {
      assert.equal(res.status, 400);
      assert.deepEqual(
        res.errors?.map((e) => e.extensions?.code),
        ['BAD_REQUEST'],
      );
    }
  });

  test('RECRUITER: rankings and vacancies of their organization only', async () => {
    const own = await gql<{
      rankCandidates: { items: Array<{ candidate: { id: string; displayName: string } }> };
    }>(app.url, RANK_NAMES, { v: vacA }, recruiter);
    assert.equal(own.errors, undefined, JSON.stringify(own.errors));
    assert.ok(own.data?.rankCandidates.items[0]?.candidate.displayName, 'recruiters see names');
    const foreign = await gql(app.url, RANK, { v: vacB }, recruiter);
    assert.deepEqual(errorCodes(foreign), ['FORBIDDEN']);
    assert.deepEqual(
      errorCodes(await gql(app.url, 'query($v: ID!) { vacancy(id: $v) { title } }', { v: vacB }, recruiter)),
      ['FORBIDDEN'],
    );
    const list = await gql<{
      vacancies: { totalCount: number; nodes: Array<{ organization: { id: string } }> };
    }>(app.url, '{ vacancies(first: 100) { totalCount nodes { organization { id } } } }', {}, recruiter);
    assert.ok((list.data?.vacancies.nodes.length ?? 0) > 0);
    assert.ok(
      list.data?.vacancies.nodes.every((v) => v.organization.id === orgA),
      'only their organization is listed',
    );
    assert.deepEqual(
      errorCodes(
        await gql(
          app.url,
          'query($o: ID) { vacancies(filter: { organization: $o }) { totalCount } }',
          { o: orgB },
          recruiter,
        ),
      ),
      ['FORBIDDEN'],
    );
  });

  test('RECRUITER: a candidate by id only when they applied to the organization, and only those applications', async () => {
    const res = await gql<{
      candidate: { applications: Array<{ vacancy: { organization: { id: string } } }> };
    }>(
      app.url,
      'query($c: ID!) { candidate(id: $c) { displayName applications { vacancy { organization { id } } } } }',
      { c: applicantA },
      recruiter,
    );
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    assert.ok((res.data?.candidate.applications.length ?? 0) > 0);
    assert.ok(res.data?.candidate.applications.every((a) => a.vacancy.organization.id === orgA));
    assert.deepEqual(
      errorCodes(
        await gql(app.url, 'query($c: ID!) { candidate(id: $c) { id } }', { c: outsiderA }, recruiter),
      ),
      ['FORBIDDEN'],
    );
    assert.deepEqual(
      errorCodes(
        await gql(
          app.url,
          'query($c: ID!) { careerPaths(candidateId: $c) { paths { weightedCoverage } } }',
          { c: outsiderA },
          recruiter,
        ),
      ),
      ['FORBIDDEN'],
    );
    assert.deepEqual(errorCodes(await gql(app.url, '{ candidates { totalCount } }', {}, recruiter)), [
      'FORBIDDEN',
    ]);
    assert.deepEqual(
      errorCodes(await gql(app.url, 'mutation { deleteCandidate(id: "x") { deleted } }', {}, recruiter)),
      ['FORBIDDEN'],
    );
    const gap = await gql(
      app.url,
      'query($c: ID!, $v: ID!) { skillGap(candidateId: $c, target: { vacancyId: $v }) { coverage { essential } } }',
      { c: outsiderA, v: vacA },
      recruiter,
    );
    // Subject access (issue 15 item 4): a gap carries the person, so the candidate must be in scope
    // even against the organization's own vacancy (tests/e2e/subjectAccess.e2e.test.ts).
    assert.deepEqual(errorCodes(gap), ['FORBIDDEN']);
  });

  test('PARTNER: rankings of their vacancies with pseudonymised candidates, no names or free text', async () => {
    const real = await gql<{ rankCandidates: { items: Array<{ candidate: { id: string } }> } }>(
      app.url,
      RANK,
      { v: vacA },
    );
    const seen = await gql<{ rankCandidates: { items: Array<{ candidate: { id: string } }> } }>(
      app.url,
      RANK,
      { v: vacA },
      partner,
    );
    assert.equal(seen.errors, undefined, JSON.stringify(seen.errors));
    const realIds = real.data?.rankCandidates.items.map((i) => i.candidate.id) ?? [];
    const pseudonyms = seen.data?.rankCandidates.items.map((i) => i.candidate.id) ?? [];
    assert.equal(pseudonyms.length, realIds.length);
    assert.ok(pseudonyms.every((p) => /^anon-/.test(p) && !realIds.includes(p)));
    const again = await gql<{ rankCandidates: { items: Array<{ candidate: { id: string } }> } }>(
      app.url,
      RANK,
      { v: vacA },
      partner,
    );
    assert.deepEqual(
      again.data?.rankCandidates.items.map((i) => i.candidate.id),
      pseudonyms,
      'stable for the partner',
    );
    const otherPartner = await gql<{ rankCandidates: { items: Array<{ candidate: { id: string } }> } }>(
      app.url,
      RANK,
      { v: vacA },
      { token: await jwt('PARTNER', orgA, 'p2') },
    );
    assert.deepEqual(
      otherPartner.data?.rankCandidates.items.map((i) => i.candidate.id),
      pseudonyms,
      'per organization, not per token',
    );
    for (const field of ['displayName', 'summary', 'applications { status }']) {
      // A field error of the root field (README "API conventions"): 200, its path, null for it.
      // Refused before it runs: an unknown vacancy is FORBIDDEN too, never NOT_FOUND.
      for (const v of [vacA, 'vac-does-not-exist']) {
        const res = await gql(
          app.url,
          `query($v: ID!) { rankCandidates(vacancyId: $v, k: 5) { items { candidate { ${field} } } } }`,
          { v },
          partner,
        );
        assert.deepEqual(errorCodes(res), ['FORBIDDEN'], field);
        assert.equal(res.status, 200);
        assert.deepEqual(res.errors?.[0]?.path, ['rankCandidates']);
        assert.deepEqual(res.data, { rankCandidates: null }, 'refused before anything ran');
      }
    }
    assert.deepEqual(errorCodes(await gql(app.url, RANK, { v: vacB }, partner)), ['FORBIDDEN']);
    assert.deepEqual(
      errorCodes(
        await gql(app.url, 'query($c: ID!) { candidate(id: $c) { id } }', { c: applicantA }, partner),
      ),
      ['FORBIDDEN'],
    );
    assert.deepEqual(
      errorCodes(
        await gql(
          app.url,
          'query($v: ID!) { vacancy(id: $v) { applications { status } } }',
          { v: vacA },
          partner,
        ),
      ),
      ['FORBIDDEN'],
    );
    assert.equal(
      (await gql(app.url, 'query($v: ID!) { vacancy(id: $v) { title } }', { v: vacA }, partner)).errors,
      undefined,
    );
  });

  test('ANALYST: aggregates and taxonomy only', async () => {
    assert.equal(
      (await gql(app.url, '{ skillDemand(first: 5) { items { demand } } }', {}, analyst)).errors,
      undefined,
    );
    assert.equal(
      (await gql(app.url, '{ occupation(code: "2511.4") { uri } }', {}, analyst)).errors,
      undefined,
    );
    for (const q of [RANK, 'query($v: ID!) { vacancy(id: $v) { title } }', '{ candidates { totalCount } }']) {
      assert.deepEqual(errorCodes(await gql(app.url, q, { v: vacA }, analyst)), ['FORBIDDEN'], q);
    }
  });

  test('introspection is on by default for partners (and everyone who may query)', async () => {
    const res = await gql<{ __schema: { queryType: { name: string } } }>(
      app.url,
      '{ __schema { queryType { name } } }',
      {},
      partner,
    );
    assert.equal(res.data?.__schema.queryType.name, 'Query');
  });
});

describe('limits', () => {
  async function refused(
    body: string | Buffer,
    code: string,
    limit: string,
    credentials: Credentials = {},
  ): Promise<void> {
    const before = await graphSnapshot(gateway);
    const res = await postRaw(app.url, body, credentials);
    assert.deepEqual(errorCodes(res), [code], JSON.stringify(res.raw).slice(0, 300));
    assert.equal(res.errors?.[0]?.extensions?.details?.limit, limit);
    assert.ok(res.status >= 400 && res.status < 500, `status ${res.status}`);
    assert.deepEqual(await graphSnapshot(gateway), before);
  }
  const json = (query: string, variables: Record<string, unknown> = {}) =>
    JSON.stringify({ query, variables });

  test('depth, aliases, cost, page size, tokens, batch and body size each refuse with their code', async () => {
    await refused(
      json(`{ occupation(code: "2511.4") { ${'broader { '.repeat(14)}uri${' }'.repeat(14)} } }`),
      'QUERY_TOO_DEEP',
      'maxDepth',
    );
    await refused(
      json(`{ ${Array.from({ length: 200 }, (_, i) => `a${i}: escoDataset { version }`).join(' ')} }`),
      'TOO_MANY_ALIASES',
      'maxAliases',
    );
    await refused(
      json(
        '{ occupations(first: 100) { nodes { essentialSkills(first: 100) { nodes { requiredBy(first: 100) { totalCount } } } } } }',
      ),
      'QUERY_TOO_COMPLEX',
      'maxCost',
    );
    await refused(json(`{ ${'escoDataset { version } '.repeat(2000)} }`), 'QUERY_TOO_LARGE', 'maxTokens');
    await refused(
      JSON.stringify(Array.from({ length: 6 }, () => ({ query: '{ escoDataset { version } }' }))),
      'BATCH_TOO_LARGE',
      'maxBatch',
    );
    await refused(
      json(`{ search(text: "${'x'.repeat(1_100_000)}") { score } }`),
      'PAYLOAD_TOO_LARGE',
      'maxBodyBytes',
    );
    assert.equal((await gql(app.url, '{ escoDataset { version } }')).errors, undefined, 'still serving');
  });

  test('a page size over its bound is a field error: 200, path, bounds; the field never runs', async () => {
    const before = await graphSnapshot(gateway);
    // "v" is no vacancy: had the field run, it would be NOT_FOUND.
    const res = await gql(
      app.url,
      'query($k: Int) { rankCandidates(vacancyId: "v", k: $k) { totalCount } }',
      {
        k: 1_000_000,
      },
    );
    assert.equal(res.status, 200);
    assert.deepEqual(errorCodes(res), ['BAD_USER_INPUT']);
    assert.deepEqual(res.errors?.[0]?.path, ['rankCandidates']);
    assert.deepEqual(res.errors?.[0]?.extensions?.details, {
      argument: 'k',
      field: 'Query.rankCandidates',
      min: 1,
      max: 100,
      actual: 1_000_000,
    });
    assert.deepEqual(res.data, { rankCandidates: null });
    assert.deepEqual(await graphSnapshot(gateway), before);
  });

  test('batches up to the limit run, one result per operation', async () => {
    const res = await postRaw(
      app.url,
      JSON.stringify([
        { query: '{ escoDataset { version } }' },
        { query: '{ occupation(code: "2511.4") { code } }' },
      ]),
    );
    assert.equal(res.status, 200);
    assert.equal((res.raw as unknown[]).length, 2);
  });

  test('automatic persisted queries: hash first, then hash with query, then hash alone', async () => {
    const query = '{ occupation(code: "2511.4") { preferredLabel } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const ext = { persistedQuery: { version: 1, sha256Hash } };
    assert.deepEqual(errorCodes(await postRaw(app.url, JSON.stringify({ extensions: ext }))), [
      'PERSISTED_QUERY_NOT_FOUND',
    ]);
    assert.equal((await postRaw(app.url, JSON.stringify({ query, extensions: ext }))).errors, undefined);
    const hit = await postRaw(app.url, JSON.stringify({ extensions: ext }));
    assert.equal(hit.errors, undefined);
    assert.deepEqual(hit.data, { occupation: { preferredLabel: 'data scientist' } });
    // A persisted query is still subject to access rules.
    const rank = 'query($v: ID!) { rankCandidates(vacancyId: $v) { totalCount } }';
    const rankExt = {
      persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(rank).digest('hex') },
    };
    await postRaw(app.url, JSON.stringify({ query: rank, variables: { v: vacA }, extensions: rankExt }));
    assert.deepEqual(
      errorCodes(
        await postRaw(app.url, JSON.stringify({ variables: { v: vacA }, extensions: rankExt }), anonymous),
      ),
      ['UNAUTHENTICATED'],
    );
  });
});

describe('a strict server: introspection off, small rate limits, a short request timeout', () => {
  let strict: App;
  // One key per test: the per-key bucket holds 3 requests.
  const k1 = generateApiKey('strict-1', 'ADMIN', null);
  const k2 = generateApiKey('strict-2', 'ADMIN', null);
  const k3 = generateApiKey('strict-3', 'ADMIN', null);
  beforeAll(async () => {
    strict = await startApp(
      testConfig(escoUri(), {
        INTROSPECTION: 'false',
        RATE_LIMIT_KEY_PER_S: '0.5',
        RATE_LIMIT_KEY_BURST: '3',
        RATE_LIMIT_IP_PER_S: '0.5',
        RATE_LIMIT_IP_BURST: '2',
        REQUEST_TIMEOUT_MS: '1000',
        RANKING_CACHE_TTL_MS: '0',
        API_KEYS: `${analystKey.entry},${k1.entry},${k2.entry},${k3.entry}`,
      }),
      silentLog,
    );
  });
  afterAll(() => strict.stop());

  test('introspection can be switched off', async () => {
    const res = await gql(strict.url, '{ __schema { types { name } } }', {}, { key: k1.key });
    assert.deepEqual(errorCodes(res), ['INTROSPECTION_DISABLED']);
    assert.equal(
      (await gql(strict.url, '{ escoDataset { __typename version } }', {}, { key: k1.key })).errors,
      undefined,
      '__typename is not introspection',
    );
  });

  test('a request that outlives REQUEST_TIMEOUT_MS is abandoned with TIMEOUT', async () => {
    const res = await gql(
      strict.url,
      'query($v: ID!) { rankCandidates(vacancyId: $v, k: 100, options: { retrieveN: 5000, useReranker: true, rerankM: 200 }) { totalCount } }',
      { v: vacA },
      { key: k2.key },
    );
    assert.deepEqual(errorCodes(res), ['TIMEOUT']);
    const details = res.errors?.[0]?.extensions?.details;
    if (details) assert.equal(details.limit, 'requestTimeoutMs');
  });

  test('rate limits per key and per IP answer 429 RATE_LIMITED with Retry-After', async () => {
    const key: Credentials = { key: analystKey.key };
    const codes: string[] = [];
    let retryAfter: string | null | undefined;
    for (let i = 0; i < 6; i += 1) {
      const res = await gql(strict.url, '{ escoDataset { version } }', {}, key);
      codes.push(...errorCodes(res));
      if (res.status === 429) retryAfter = res.headers?.get('retry-after');
    }
    assert.ok(codes.includes('RATE_LIMITED'), codes.join());
    assert.ok(Number(retryAfter) >= 1);
    // Another key has its own bucket.
    assert.equal((await gql(strict.url, '{ escoDataset { version } }', {}, { key: k3.key })).status, 200);
    const anon: string[] = [];
    for (let i = 0; i < 5; i += 1)
      anon.push(...errorCodes(await gql(strict.url, '{ escoDataset { version } }', {}, anonymous)));
    assert.ok(anon.includes('RATE_LIMITED'));
    const res = await gql(strict.url, '{ escoDataset { version } }', {}, anonymous);
    assert.equal(res.errors?.[0]?.extensions?.details?.limit, 'perIp');
  });
});

describe('API conventions: one bad alias leaves the others answering (#16 item 6)', () => {
  const RANKED = '{ totalCount items { rank } }';

  test('a dashboard of three rankings, one unknown vacancy: data for two, null and NOT_FOUND with its path', async () => {
    const res = await gql<Record<string, { totalCount: number; items: unknown[] } | null>>(
      app.url,
      `query($a: ID!, $b: ID!) {
        a: rankCandidates(vacancyId: $a, k: 3) ${RANKED}
        b: rankCandidates(vacancyId: $b, k: 3) ${RANKED}
        c: rankCandidates(vacancyId: "vac-unknown-h2", k: 3) ${RANKED}
      }`,
      { a: vacA, b: vacB },
    );
    assert.equal(res.status, 200);
    assert.equal(res.data?.a?.items.length, 3);
    assert.equal(res.data?.b?.items.length, 3);
    assert.equal(res.data?.c, null);
    assert.deepEqual(
      res.errors?.map((e) => [e.extensions?.code, e.path]),
      [['NOT_FOUND', ['c']]],
    );
  });

  test('a role refusal, a bad argument and another organization are field errors beside an answer', async () => {
    const before = await graphSnapshot(gateway);
    const res = await gql<Record<string, unknown>>(
      app.url,
      `query($a: ID!, $b: ID!) {
        own: rankCandidates(vacancyId: $a, k: 3) ${RANKED}
        foreign: rankCandidates(vacancyId: $b, k: 3) ${RANKED}
        zero: rankCandidates(vacancyId: $a, k: 0) ${RANKED}
        over: rankCandidates(vacancyId: $a, k: 101) ${RANKED}
        everyone: candidates { totalCount }
      }`,
      { a: vacA, b: vacB },
      recruiter,
    );
    assert.equal(res.status, 200);
    assert.equal((res.data?.own as { items: unknown[] } | null)?.items.length, 3);
    for (const key of ['foreign', 'zero', 'over', 'everyone']) assert.equal(res.data?.[key], null, key);
    const byPath = new Map(res.errors?.map((e) => [e.path?.join('.'), e.extensions]));
    assert.equal(byPath.size, 4);
    assert.equal(byPath.get('foreign')?.code, 'FORBIDDEN');
    assert.equal(byPath.get('everyone')?.code, 'FORBIDDEN');
    assert.deepEqual(byPath.get('everyone')?.details, { field: 'Query.candidates', role: 'RECRUITER' });
    for (const [key, actual] of [
      ['zero', 0],
      ['over', 101],
    ] as const) {
      assert.equal(byPath.get(key)?.code, 'BAD_USER_INPUT', key);
      assert.deepEqual(byPath.get(key)?.details, {
        argument: 'k',
        field: 'Query.rankCandidates',
        min: 1,
        max: 100,
        actual,
      });
    }
    // A refused mutation does not run and changes nothing; the request is still 200.
    const mutation = await gql(app.url, 'mutation { deleteCandidate(id: "x") { deleted } }', {}, recruiter);
    assert.equal(mutation.status, 200);
    assert.deepEqual(
      mutation.errors?.map((e) => [e.extensions?.code, e.path]),
      [['FORBIDDEN', ['deleteCandidate']]],
    );
    assert.deepEqual(await graphSnapshot(gateway), before);
  });

  test('a request refused as a whole keeps its 4xx status, no data and no path', async () => {
    const anon = await gql(
      app.url,
      '{ occupation(code: "2511.4") { uri } candidates { totalCount } }',
      {},
      anonymous,
    );
    assert.equal(anon.status, 401);
    assert.equal(anon.data, undefined);
    assert.equal(anon.errors?.[0]?.path, undefined);
    const deep = await gql(
      app.url,
      `{ occupation(code: "2511.4") { ${'broader { '.repeat(14)}uri${' }'.repeat(14)} } }`,
    );
    assert.equal(deep.status, 400);
    assert.deepEqual(errorCodes(deep), ['QUERY_TOO_DEEP']);
    assert.equal(deep.data, undefined);
    assert.equal(deep.errors?.[0]?.path, undefined);
  });
});

describe('operations', () => {
  test('/health answers without the database; /ready checks Neo4j and the models', async () => {
    const base = app.url.replace('/graphql', '');
    assert.equal((await fetch(`${base}/health`)).status, 200);
    const ready = (await (await fetch(`${base}/ready`)).json()) as {
      status: string;
      checks: { neo4j: string; models: string; crossEncoderQueue?: string; databaseWork: string };
    };
    assert.equal(ready.status, 'ready');
    assert.equal(ready.checks.neo4j, 'ok');
    assert.ok(ready.checks.models.length > 0);
    assert.match(ready.checks.databaseWork, /^\d+ statements run, \d+ transactions dropped unrun/);
    assert.match(
      ready.checks.crossEncoderQueue ?? '',
      /^running \d+, waiting \d+, started \d+, abandoned \d+$/,
    );
  });

  test('responses and log lines carry the request id; logs hold no personal data, keys or tokens', async () => {
    const res = await fetch(app.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-request-id': 'req-e2e-42',
        'x-api-key': TEST_ADMIN_KEY,
      },
      body: JSON.stringify({
        query: 'query($c: ID!) { candidate(id: $c) { displayName summary } }',
        variables: { c: applicantA },
      }),
    });
    assert.equal(res.headers.get('x-request-id'), 'req-e2e-42');
    const person = (
      (await res.json()) as { data: { candidate: { displayName: string; summary: string | null } } }
    ).data.candidate;
    // Refused and failing requests too: invalid input that echoes values, bad credentials.
    await gql(app.url, 'mutation($i: CandidateInput!) { upsertCandidate(input: $i) { id } }', {
      i: { id: 'bad id with Zyxwv Secretname', displayName: 'Zyxwv Secretname' },
    });
    await gql(app.url, '{ escoDataset { version } }', {}, { key: 'tg_leaked-looking-key-123' });
    await new Promise((r) => setTimeout(r, 100));
    const logs = logLines.join('');
    const line = logLines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.requestId === 'req-e2e-42' && l.msg === 'request');
    assert.ok(line, 'one structured line per request, with its id');
    assert.deepEqual(line.principal, { kind: 'apiKey', id: 'test-admin', role: 'ADMIN' });
    for (const secret of [
      person.displayName,
      person.summary ?? 'no summary',
      'Zyxwv Secretname',
      TEST_ADMIN_KEY,
      'tg_leaked-looking-key-123',
      JWT_SECRET,
      recruiter.token ?? '',
    ]) {
      assert.ok(!logs.includes(secret), `the logs must not contain ${secret.slice(0, 12)}…`);
    }
  });
});
