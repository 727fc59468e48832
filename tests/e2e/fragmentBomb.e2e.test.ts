/**
 * Fragment bombs over HTTP: the 977-byte request of issue 15 (25 fragments, each spreading the
 * previous one twice) sent anonymously is refused as QUERY_TOO_COMPLEX before anything runs, and
 * the server keeps answering; ordinary fragments still work.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { doublingChain } from '../../scripts/probe/probeShapes.js';
import { errorCodes, gql, type Credentials } from '../support/graphqlClient.js';
import { escoUri, silentLog, testConfig } from '../support/testEnv.js';

const anonymous: Credentials = { key: null };

let app: App;

beforeAll(async () => {
  // API keys configured: anonymous callers get the taxonomy only, as on a real deployment.
  app = await startApp(
    testConfig(escoUri(), { DEMO_AUTOLOAD: 'false', RERANKER_ENABLED: 'false' }),
    silentLog,
  );
});

afterAll(async () => {
  await app.stop();
});

test('the 977-byte doubling chain sent anonymously is QUERY_TOO_COMPLEX, and /health answers right after', async () => {
  const query = doublingChain(24);
  assert.equal(Buffer.byteLength(query), 977);
  const res = await gql(app.url, query, {}, anonymous);
  assert.equal(res.status, 400);
  assert.deepEqual(errorCodes(res), ['QUERY_TOO_COMPLEX']);
  assert.equal(res.data, undefined, 'nothing ran');
  const details = res.errors?.[0]?.extensions?.details;
  assert.equal(details?.limit, 'maxFragmentSpreads');
  assert.equal(details?.actual, 2 ** 25 - 1);

  const health = await fetch(app.url.replace('/graphql', '/health'));
  assert.equal(health.status, 200);
});

test('a 40-level chain is refused the same way, and ordinary fragments still answer', async () => {
  assert.deepEqual(errorCodes(await gql(app.url, doublingChain(40), {}, anonymous)), ['QUERY_TOO_COMPLEX']);

  const ok = await gql<{ escoDataset: { version: string } | null }>(
    app.url,
    '{ ...D ... on Query { ...D } } fragment D on Query { escoDataset { version } }',
    {},
    anonymous,
  );
  assert.deepEqual(errorCodes(ok), []);
  assert.equal(typeof ok.data?.escoDataset?.version, 'string');
});
