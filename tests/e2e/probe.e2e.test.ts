/**
 * The outside probe of issue #15, reduced (each shape once; `npm run probe` repeats them): every
 * shape of scripts/probe/probeShapes.ts against an app on the ESCO test database with API keys for
 * every role, the write races against an app on the scratch database. Nothing may be accepted
 * wrongly, answered with another code, a 5xx or a hang, and the test database's graph must be
 * unchanged by the reads phase (the refused writes included).
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { organizationId } from '../../src/demo/generateDemo.js';
import { ORGANIZATIONS } from '../../src/demo/vocabulary.js';
import type { Neo4jGateway } from '../../src/graph/gateway.js';
import { generateProbeKeys } from '../../scripts/probe/probeClient.js';
import { formatProbeTable, PROBE_REQUEST_TIMEOUT_MS, runProbe } from '../../scripts/probe/probeRunner.js';
import { graphSnapshot } from '../support/snapshot.js';
import {
  createTestGateway,
  escoUri,
  silentLog,
  startFixtureApp,
  TEST_API_KEYS,
  testConfig,
} from '../support/testEnv.js';

const { keys, entries } = generateProbeKeys(ORGANIZATIONS.map((_, i) => organizationId(i)));
const API_KEYS = [TEST_API_KEYS, ...entries].join(',');

let app: App;
let scratch: { app: App; gateway: Neo4jGateway };
let gateway: Neo4jGateway;

beforeAll(async () => {
  gateway = createTestGateway(escoUri());
  [app, scratch] = await Promise.all([
    startApp(
      testConfig(escoUri(), {
        API_KEYS,
        // The failed-login shape sends from addresses of its own (x-forwarded-for).
        TRUST_PROXY: 'true',
        RATE_LIMIT_IP_PER_S: '0',
        REQUEST_TIMEOUT_MS: String(PROBE_REQUEST_TIMEOUT_MS),
      }),
      silentLog,
    ),
    startFixtureApp({ API_KEYS }),
  ]);
});
afterAll(async () => {
  await Promise.all([app?.stop(), scratch?.app.stop()]);
  await Promise.all([gateway?.close(), scratch?.gateway.close()]);
});

test("the probe's shapes: nothing accepted wrongly, no other code, no 5xx, no hang, the graph unchanged", async () => {
  const report = await runProbe({
    url: app.url,
    writeUrl: scratch.app.url,
    keys,
    repetitions: 1,
    snapshot: async () => JSON.stringify(await graphSnapshot(gateway)),
  });
  process.stderr.write(`${formatProbeTable(report)}\n`);
  const failing = report.shapes
    .filter((s) => s.counts.acceptedWrongly + s.counts.wrongCode + s.counts.serverError + s.counts.hang > 0)
    .map((s) => `${s.name}: ${s.notes.join(' | ')}`);
  assert.deepEqual(failing, []);
  assert.ok(report.totals.attempts >= 150, `every shape ran (${report.totals.attempts} attempts)`);
  assert.equal(report.totals.acceptedWrongly, 0);
  assert.equal(report.totals.serverError, 0);
  assert.equal(report.totals.hang, 0);
  assert.equal(report.graphUnchanged, true, 'the reads phase left the graph as it was');
  // Each class the probe tells apart was seen: refusals, harmless answers, and races with one winner.
  assert.ok(report.totals.refused > 0 && report.totals.harmless > 0);
});
