/**
 * The short form of `npm run load`: the same workload for a few seconds against the ESCO test
 * database. It asserts only that nothing unexpected happened (no 5xx, no masked error, every
 * refusal with its expected code), never timings.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { generateApiKey } from '../../src/security/credentials.js';
import { formatLoadReport, runLoad } from '../../scripts/load/loadRunner.js';
import { gql, TEST_ADMIN_KEY } from '../support/graphqlClient.js';
import { escoUri, silentLog, TEST_API_KEYS, testConfig } from '../support/testEnv.js';

const analyst = generateApiKey('load-analyst', 'ANALYST', null);
let app: App;

beforeAll(async () => {
  app = await startApp(
    testConfig(escoUri(), {
      API_KEYS: `${TEST_API_KEYS},${analyst.entry}`,
      RATE_LIMIT_IP_PER_S: '0',
      // The mixed run checks that nothing fails unexpectedly; a full cross-encoder queue is refused
      // with SERVICE_OVERLOADED by design (tests/int/rankingLoad.int.test.ts), so it is not full here.
      RERANKER_MAX_WAITING: '10000',
    }),
    silentLog,
  );
});
afterAll(() => app.stop());

test('a short mixed load run has no unexpected errors', async () => {
  const report = await runLoad({
    url: app.url,
    keys: { admin: TEST_ADMIN_KEY, analyst: analyst.key },
    connections: 8,
    durationMs: 6000,
    rss: () => process.memoryUsage().rss,
  });
  process.stderr.write(`${formatLoadReport(report, 8)}\n`);
  assert.ok(report.requests > 0);
  assert.ok(report.expectedRefusals > 0, 'the refusals of the workload were exercised');
  assert.deepEqual(report.unexpectedSamples, []);
  assert.equal(report.unexpected, 0);
});

test('graceful shutdown: in-flight requests complete, then the server refuses connections', async () => {
  const vac = await gql<{ vacancies: { nodes: Array<{ id: string }> } }>(
    app.url,
    '{ vacancies(first: 5) { nodes { id } } }',
  );
  const ids = vac.data?.vacancies.nodes.map((n) => n.id) ?? [];
  // Rankings with options nobody asked before, so each one computes (no cache).
  let settled = 0;
  const inFlight = ids.map((v, i) =>
    gql(
      app.url,
      'query($v: ID!, $n: Int) { rankCandidates(vacancyId: $v, k: 5, options: { retrieveN: $n }) { totalCount } }',
      { v, n: 400 + i },
    ).finally(() => {
      settled += 1;
    }),
  );
  // Stop only once the server has received every one (a busy machine may take a while to connect).
  for (let waited = 0; app.http.inFlight() + settled < ids.length && waited < 30_000; waited += 10)
    await new Promise((r) => setTimeout(r, 10));
  assert.ok(app.http.inFlight() > 0, 'rankings are in flight when the drain starts');
  const base = app.url.replace('/graphql', '');
  const stopping = app.stop();
  const ready = await fetch(`${base}/ready`).catch(() => undefined);
  if (ready) assert.equal(ready.status, 503, '/ready reports draining while requests finish');
  const results = await Promise.all(inFlight);
  await stopping;
  for (const r of results) assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  await assert.rejects(fetch(`${base}/health`), 'no new connections after the drain');
});
