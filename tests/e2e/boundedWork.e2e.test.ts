/**
 * Bounded work per request and per caller (#15 item 7), through the real API, Neo4j and ONNX
 * models: model runs queued for a request that timed out are dropped, a request's rankings
 * retrieve within MAX_REQUEST_RETRIEVE (refused before execution when the document says so, at
 * run time across batch members otherwise), one caller's requests in flight are capped. Times
 * are measured and printed, never asserted.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { errorCodes, gql, postRaw } from '../support/graphqlClient.js';
import { escoUri, silentLog, testConfig, untilProjectionSettled } from '../support/testEnv.js';

let hurried: App;
let budgeted: App;
let vacancies: string[] = [];

beforeAll(async () => {
  [hurried, budgeted] = await Promise.all([
    // 400 ms: 30 cross-encoder extractions cannot finish in it even on an idle machine (1.5 s could).
    startApp(testConfig(escoUri(), { REQUEST_TIMEOUT_MS: '400', MAX_ALIASES: '30' }), silentLog),
    startApp(
      testConfig(escoUri(), {
        MAX_REQUEST_RETRIEVE: '3000',
        MAX_IN_FLIGHT_PER_CALLER: '2',
        RANKING_CACHE_TTL_MS: '0',
      }),
      silentLog,
    ),
  ]);
  const page = await gql<{ vacancies: { nodes: Array<{ id: string }> } }>(
    budgeted.url,
    '{ vacancies(first: 6) { nodes { id } } }',
  );
  vacancies = page.data?.vacancies.nodes.map((n) => n.id) ?? [];
  assert.ok(vacancies.length >= 3, 'the test store holds vacancies');
  // The candidate projection's first load runs in the background after start-up: until it is
  // over, its reads would count as statements a request started (on a fast machine its last read
  // landed after the timed-out request's answer).
  await Promise.all([hurried, budgeted].map((app) => untilProjectionSettled(app.url)));
}, 600_000);
afterAll(async () => {
  await Promise.all([hurried?.stop(), budgeted?.stop()]);
});

async function until(check: () => boolean, ms: number): Promise<number> {
  const started = Date.now();
  while (!check() && Date.now() - started < ms) await new Promise((r) => setTimeout(r, 20));
  return Date.now() - started;
}

test('30 aliased HYBRID_RERANK extractSkills time out and leave no model or database work behind them', async () => {
  const before = hurried.rerankerQueue();
  assert.ok(before, 'the test app serves a cross-encoder');
  const droppedBefore = hurried.gateway.transactionsDropped;
  // Distinct texts, so no cached vector or score shortens the work.
  const aliases = Array.from(
    { length: 30 },
    (_, i) =>
      `a${i}: extractSkills(text: "Senior engineer ${i} building data pipelines in Python, Kafka and SQL; mentoring team ${i}", mode: HYBRID_RERANK) { skills { skill { uri } } }`,
  ).join(' ');
  const answer = await gql(hurried.url, `{ ${aliases} }`);
  assert.deepEqual(
    [answer.status, errorCodes(answer)],
    [200, ['TIMEOUT']],
    JSON.stringify({ errors: answer.errors, data: answer.data }).slice(0, 600),
  );
  // Whatever was still running at the answer may finish (an ONNX run or a Neo4j statement is
  // not interrupted); nothing queued for the request may start afterwards.
  const drainedMs = await until(() => {
    const q = hurried.rerankerQueue()!;
    return q.waiting === 0 && q.running === 0;
  }, 15_000);
  const settled = hurried.rerankerQueue()!;
  const statements = hurried.gateway.statementsRun;
  await new Promise((r) => setTimeout(r, 1_500));
  const after = hurried.rerankerQueue()!;
  const dropped = hurried.gateway.transactionsDropped - droppedBefore + after.abandoned - before.abandoned;
  process.stderr.write(
    `after the TIMEOUT: cross-encoder ${JSON.stringify(after)} (idle ${drainedMs} ms after the answer), ` +
      `statements ${statements} -> ${hurried.gateway.statementsRun}, dropped unrun: ${dropped} ` +
      `(transactions ${hurried.gateway.transactionsDropped - droppedBefore}, model runs ${after.abandoned - before.abandoned})\n`,
  );
  assert.equal(after.waiting, 0, 'no cross-encoder run is still waiting for the abandoned request');
  assert.equal(after.started, settled.started, 'no cross-encoder run started after the request was answered');
  assert.equal(
    hurried.gateway.statementsRun,
    statements,
    'no statement started after the request was answered',
  );
  assert.ok(dropped > 0, 'work queued for the request (transactions or model runs) was dropped, not run');
});

test("the probe's 30 aliased rankCandidates(retrieveN: 2000) are refused before any work starts", async () => {
  const statements = budgeted.gateway.statementsRun;
  const aliases = Array.from(
    { length: 30 },
    (_, i) =>
      `r${i}: rankCandidates(vacancyId: "${vacancies[i % vacancies.length]}", k: 1, options: { retrieveN: 2000, rerankM: 0 }) { totalCount }`,
  ).join(' ');
  const answer = await gql(budgeted.url, `{ ${aliases} }`);
  assert.equal(answer.status, 400);
  assert.deepEqual(errorCodes(answer), ['QUERY_TOO_COMPLEX']);
  assert.equal(answer.errors?.[0]?.extensions?.details?.['limit'], 'maxRequestRetrieve');
  assert.equal(answer.errors?.[0]?.extensions?.details?.['actual'], 30 * 2 * 2000);
  assert.equal(budgeted.gateway.statementsRun, statements, 'no statement ran');
});

test('a batch whose members together pass MAX_REQUEST_RETRIEVE is bounded at run time with QUERY_TOO_COMPLEX, never a 5xx', async () => {
  // Each operation retrieves 2 x 2 x 400 = 1,600 items (within 3,000); three of them 4,800.
  const operation = (n: number) => ({
    query: `query($a: ID!, $b: ID!) { x: rankCandidates(vacancyId: $a, k: 1, options: { retrieveN: ${400 - n}, rerankM: 0 }) { totalCount } y: rankCandidates(vacancyId: $b, k: 1, options: { retrieveN: ${400 - n}, rerankM: 0 }) { totalCount } }`,
    variables: { a: vacancies[n % vacancies.length], b: vacancies[(n + 1) % vacancies.length] },
  });
  const answer = await postRaw(budgeted.url, JSON.stringify([0, 1, 2].map(operation)));
  assert.ok(answer.status < 500, `status ${answer.status}`);
  const results = answer.raw as Array<{ errors?: Array<{ extensions?: { code?: string } }> }>;
  const codes = results.flatMap((r) => (r.errors ?? []).map((e) => e.extensions?.code));
  process.stderr.write(`batch over the retrieve budget: ${JSON.stringify(codes)}\n`);
  assert.ok(codes.length > 0, 'some ranking of the batch was refused');
  assert.ok(
    codes.every((c) => c === 'QUERY_TOO_COMPLEX'),
    `only QUERY_TOO_COMPLEX, got ${JSON.stringify(codes)}`,
  );
});

test('one caller beyond MAX_IN_FLIGHT_PER_CALLER gets 503 SERVICE_OVERLOADED with retry-after; another caller is served', async () => {
  const rankings = Array.from({ length: 6 }, (_, i) =>
    gql(
      budgeted.url,
      'query($v: ID!, $n: Int) { rankCandidates(vacancyId: $v, k: 3, options: { retrieveN: $n }) { totalCount } }',
      { v: vacancies[i % vacancies.length], n: 300 + i },
    ),
  );
  const started = Date.now();
  const taxonomy = await gql(
    budgeted.url,
    '{ occupation(code: "2511.4") { preferredLabel } }',
    {},
    { key: null },
  );
  process.stderr.write(`occupation(code) during the rankings: ${Date.now() - started} ms\n`);
  assert.equal(taxonomy.errors, undefined, JSON.stringify(taxonomy.errors));
  const answers = await Promise.all(rankings);
  const refused = answers.filter((a) => a.status === 503);
  assert.ok(refused.length >= 1, `some of 6 concurrent requests over a cap of 2 were refused`);
  for (const a of refused) {
    assert.deepEqual(errorCodes(a), ['SERVICE_OVERLOADED']);
    assert.equal(a.errors?.[0]?.extensions?.details?.['resource'], 'callerConcurrency');
    assert.equal(a.headers?.get('retry-after'), '1');
  }
  for (const a of answers.filter((x) => x.status !== 503))
    assert.equal(a.errors, undefined, JSON.stringify(a.errors));
  // The slots come back: the same caller is served again.
  const again = await gql(budgeted.url, '{ escoDataset { version } }');
  assert.equal(again.errors, undefined);
});
