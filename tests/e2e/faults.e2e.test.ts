/**
 * Faults: Neo4j stopped under load (fail fast with SERVICE_UNAVAILABLE, recover by itself when it
 * is back), a missing or corrupt model file (a start-up error naming the file), and an import
 * killed midway (re-running it completes with exact counts). Figures are printed as test
 * diagnostics, never asserted.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { freePort } from '../../src/http/freePort.js';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import type { Neo4jGateway } from '../../src/graph/gateway.js';
import { startLocalNeo4j, type LocalNeo4jHandle } from '../../src/graph/localNeo4j.js';
import { PeopleRepository } from '../../src/graph/people/peopleRepository.js';
import { importEsco } from '../../src/import/esco/importEsco.js';
import { createEmbedder } from '../../src/inference/embedder.js';
import { resolveEmbedderModel } from '../../src/inference/modelStore.js';
import { errorCodes, gql } from '../support/graphqlClient.js';
import {
  createTestGateway,
  FIXTURES,
  scratchUri,
  silentLog,
  TEST_API_KEYS,
  testConfig,
} from '../support/testEnv.js';

const log = (msg: string) => process.stderr.write(`[faults] ${msg}\n`);

/** A small Neo4j of the fault tests' own (so they can stop, freeze or kill it), quiet. */
const startFaultNeo4j = (boltPort: number, dataDir: string) =>
  startLocalNeo4j({
    boltPort,
    dataDir,
    heapMb: 384,
    pageCacheMb: 64,
    readyTimeoutMs: 180_000,
    log: () => undefined,
  });

/** `startFaultNeo4j` on a new store holding the ESCO fixture. */
async function startFixtureNeo4j(dataDir: string): Promise<{ neo4j: LocalNeo4jHandle; port: number }> {
  const port = await freePort();
  const neo4j = await startFaultNeo4j(port, dataDir);
  const gateway = createTestGateway(neo4j.uri);
  try {
    await importEsco(gateway, {
      sources: [path.join(FIXTURES, 'esco-mini')],
      batchSize: 100,
      version: 'fixture',
    });
  } finally {
    await gateway.close();
  }
  return { neo4j, port };
}

describe('Neo4j stopped under load', () => {
  let neo4j: LocalNeo4jHandle;
  let app: App;
  let port: number;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'talentgraph-fault-'));

  beforeAll(async () => {
    ({ neo4j, port } = await startFixtureNeo4j(dataDir));
    app = await startApp(
      testConfig(neo4j.uri, {
        DEMO_AUTOLOAD: 'false',
        RERANKER_ENABLED: 'false',
        NEO4J_MAX_RETRY_MS: '1000',
      }),
      silentLog,
    );
  });
  afterAll(async () => {
    await app?.stop();
    await neo4j?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('requests fail fast with SERVICE_UNAVAILABLE while it is down, and the service recovers by itself', async () => {
    const results: Array<{ at: number; ms: number; codes: string[] }> = [];
    let running = true;
    const t0 = performance.now();
    const worker = async () => {
      while (running) {
        const start = performance.now();
        let codes: string[];
        try {
          const res = await gql(
            app.url,
            '{ occupation(code: "2511.4") { preferredLabel essentialSkills { totalCount } } }',
          );
          codes = errorCodes(res);
        } catch (error) {
          codes = [`NETWORK:${error instanceof Error ? error.message : String(error)}`];
        }
        results.push({ at: start - t0, ms: performance.now() - start, codes });
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const workers = Array.from({ length: 8 }, () => worker());
    // Serving first: at least 16 answers (a fixed wait failed on a loaded machine, where the first
    // cold requests had not come back yet), bounded at a minute.
    for (let i = 0; i < 600 && results.length < 16; i += 1) await new Promise((r) => setTimeout(r, 100));
    assert.ok(
      results.length > 0 && results.every((r) => r.codes.length === 0),
      `serving before the outage: ${JSON.stringify(results.filter((r) => r.codes.length > 0).slice(0, 3))}`,
    );

    const stoppedAt = performance.now() - t0;
    await neo4j.stop();
    const base = app.url.replace('/graphql', '');
    // Wait for the outage to be seen, then watch requests for a few seconds.
    while (!results.some((r) => r.at > stoppedAt && r.codes.includes('SERVICE_UNAVAILABLE')))
      await new Promise((r) => setTimeout(r, 50));
    const firstUnavailable = results.find((r) => r.at > stoppedAt && r.codes.includes('SERVICE_UNAVAILABLE'));
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal((await fetch(`${base}/health`)).status, 200, '/health: the process is fine');
    assert.equal((await fetch(`${base}/ready`)).status, 503, '/ready: not ready without the database');

    const restartAt = performance.now() - t0;
    neo4j = await startFaultNeo4j(port, dataDir);
    const neo4jReadyAt = performance.now() - t0;
    while (!results.some((r) => r.at > neo4jReadyAt && r.codes.length === 0))
      await new Promise((r) => setTimeout(r, 50));
    const recoveredAt = results.find((r) => r.at > neo4jReadyAt && r.codes.length === 0)?.at ?? 0;
    await new Promise((r) => setTimeout(r, 1000));
    running = false;
    await Promise.all(workers);

    const during = results.filter((r) => r.at > stoppedAt && r.at < restartAt);
    const failedFast = during.filter((r) => firstUnavailable && r.at > firstUnavailable.at + 100);
    const codes = new Set(during.flatMap((r) => r.codes));
    assert.deepEqual(
      [...codes].filter((c) => c !== 'SERVICE_UNAVAILABLE'),
      [],
      'nothing but SERVICE_UNAVAILABLE during the outage',
    );
    assert.ok(failedFast.length > 0);
    assert.equal((await fetch(`${base}/ready`)).status, 200, 'ready again');
    const sorted = failedFast.map((r) => r.ms).sort((a, b) => a - b);
    log(
      `outage: first SERVICE_UNAVAILABLE ${((firstUnavailable?.at ?? 0) - stoppedAt).toFixed(0)} ms after the stop began (its request took ${firstUnavailable?.ms.toFixed(0)} ms); ` +
        `${failedFast.length} later requests failed in median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, max ${sorted[sorted.length - 1]?.toFixed(1)} ms; ` +
        `recovered ${(recoveredAt - neo4jReadyAt).toFixed(0)} ms after Neo4j accepted connections again (restart took ${(neo4jReadyAt - restartAt).toFixed(0)} ms)`,
    );
  });
});

describe('Neo4j frozen under load (process stopped, sockets open)', () => {
  let neo4j: LocalNeo4jHandle;
  let app: App;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'talentgraph-freeze-'));

  beforeAll(async () => {
    ({ neo4j } = await startFixtureNeo4j(dataDir));
    app = await startApp(
      testConfig(neo4j.uri, {
        DEMO_AUTOLOAD: 'false',
        RERANKER_ENABLED: 'false',
        REQUEST_TIMEOUT_MS: '30000',
      }),
      silentLog,
    );
  });
  afterAll(async () => {
    process.kill(neo4j.pid, 'SIGCONT');
    await app?.stop();
    await neo4j?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a hung database opens the breaker: SERVICE_UNAVAILABLE instead of 30 s TIMEOUTs, and recovery when it resumes', async () => {
    const QUERY = '{ occupation(code: "2511.4") { preferredLabel } }';
    const call = async () => {
      const start = performance.now();
      const res = await gql(app.url, QUERY);
      return { codes: errorCodes(res), ms: performance.now() - start };
    };
    assert.deepEqual((await call()).codes, [], 'serving before the freeze');
    process.kill(neo4j.pid, 'SIGSTOP');
    try {
      // Eight requests at once on the frozen server: each must end with SERVICE_UNAVAILABLE (the
      // breaker's health check fails), none with TIMEOUT (which would only come at the 30 s deadline).
      const during = await Promise.all(Array.from({ length: 8 }, () => call()));
      assert.deepEqual(
        [...new Set(during.flatMap((r) => r.codes))],
        ['SERVICE_UNAVAILABLE'],
        JSON.stringify(during),
      );
      const later = await call();
      assert.deepEqual(
        later.codes,
        ['SERVICE_UNAVAILABLE'],
        'the breaker is open: new requests fail at once',
      );
      const base = app.url.replace('/graphql', '');
      assert.equal((await fetch(`${base}/health`)).status, 200, '/health: the process is fine');
      assert.equal((await fetch(`${base}/ready`)).status, 503, '/ready: not ready while the database hangs');
      log(
        `freeze: ${during.length} stalled requests released with SERVICE_UNAVAILABLE in max ${Math.max(...during.map((r) => r.ms)).toFixed(0)} ms; ` +
          `a request with the breaker open took ${later.ms.toFixed(1)} ms`,
      );
    } finally {
      process.kill(neo4j.pid, 'SIGCONT');
    }
    let recovered: string[] = ['none yet'];
    for (let i = 0; i < 200 && recovered.length > 0; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      recovered = (await call()).codes;
    }
    assert.deepEqual(recovered, [], 'answers again once the database resumes');
  });
});

describe('the local Neo4j killed while serving', () => {
  let app: App;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'talentgraph-killed-'));

  beforeAll(async () => {
    // Local mode (no NEO4J_URI): the service starts its own Neo4j and supervises it.
    const config = loadConfig({
      ...process.env,
      NEO4J_URI: undefined,
      NEO4J_LOCAL_BOLT_PORT: String(await freePort()),
      NEO4J_LOCAL_DATA_DIR: dataDir,
      NEO4J_LOCAL_HEAP_MB: '384',
      NEO4J_LOCAL_PAGECACHE_MB: '64',
      ESCO_DIR: path.join(FIXTURES, 'esco-mini'),
      DEMO_AUTOLOAD: 'false',
      RERANKER_ENABLED: 'false',
      EMBEDDING_SYNC: 'false',
      PORT: '0',
      LOG_LEVEL: 'silent',
      API_KEYS: TEST_API_KEYS,
      PSEUDONYM_SECRET: 'test-pseudonym-secret-0123456789',
      RATE_LIMIT_KEY_PER_S: '0',
    });
    app = await startApp(config, silentLog);
  });
  afterAll(async () => {
    await app?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('is started again by the service, which then answers as before', async () => {
    const QUERY = '{ occupation(code: "2511.4") { preferredLabel } }';
    assert.deepEqual(errorCodes(await gql(app.url, QUERY)), []);
    const before = app.neo4jPid();
    assert.ok(before);
    process.kill(before, 'SIGKILL');
    let codes: string[] = ['none yet'];
    for (let i = 0; i < 1200 && codes.length > 0; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      codes = errorCodes(await gql(app.url, QUERY));
      assert.ok(
        codes.every((c) => c === 'SERVICE_UNAVAILABLE'),
        JSON.stringify(codes),
      );
    }
    assert.deepEqual(codes, [], 'answers again after the restart');
    assert.notEqual(app.neo4jPid(), before, 'a new Neo4j process');
  });
});

describe('model files', () => {
  test('a missing or corrupt model file stops start-up with an error naming the file', async () => {
    const config = loadConfig({ ...process.env, NEO4J_URI: 'bolt://127.0.0.1:1', NEO4J_PASSWORD: '' });
    const good = await resolveEmbedderModel(config);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talentgraph-model-'));
    try {
      fs.copyFileSync(good.tokenizerPath, path.join(dir, 'tokenizer.json'));
      const custom = loadConfig({
        ...process.env,
        EMBEDDING_MODEL_DIR: dir,
        MODELS_DIR: path.join(dir, 'cache'),
      });
      await assert.rejects(
        createEmbedder(custom),
        (e: unknown) => e instanceof Error && e.message.includes('model.onnx'),
        'missing',
      );
      fs.writeFileSync(path.join(dir, 'model.onnx'), Buffer.from('this is not an ONNX model'));
      await assert.rejects(
        createEmbedder(custom),
        (e: unknown) => {
          assert.ok(e instanceof Error);
          assert.ok(e.message.includes(path.join(dir, 'model.onnx')), e.message);
          return true;
        },
        'corrupt',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an import killed midway', () => {
  let gateway: Neo4jGateway;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talentgraph-import-'));
  beforeAll(async () => {
    gateway = createTestGateway(scratchUri());
    await gateway.runAutoCommit('admin/wipe');
    await importEsco(gateway, {
      sources: [path.join(FIXTURES, 'esco-mini')],
      batchSize: 100,
      version: 'fixture',
    });
  });
  afterAll(async () => {
    await gateway.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('re-running it completes with exact counts', async () => {
    const E = 'http://data.europa.eu/esco';
    const file = path.join(dir, 'people.jsonl');
    const lines: string[] = [];
    const N = 3000;
    for (let i = 0; i < N; i += 1) {
      lines.push(
        JSON.stringify({
          type: 'candidate',
          id: `k-${i}`,
          displayName: `Person ${i}`,
          skills: [{ uri: `${E}/skill/sk-python` }, { label: 'SQL' }],
        }),
      );
    }
    for (let i = 0; i < 50; i += 1)
      lines.push(
        JSON.stringify({ type: 'vacancy', id: `kv-${i}`, title: `Job ${i}`, occupation: { code: '2511.4' } }),
      );
    for (let i = 0; i < N; i += 1)
      lines.push(JSON.stringify({ type: 'application', candidateId: `k-${i}`, vacancyId: `kv-${i % 50}` }));
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const env = { ...process.env, NEO4J_URI: scratchUri(), NEO4J_PASSWORD: '', LOG_LEVEL: 'silent' };
    const people = new PeopleRepository(gateway);
    const run = (kill: boolean) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(
          process.execPath,
          [
            '--import',
            'tsx',
            path.join(PROJECT_ROOT, 'scripts', 'import-people.ts'),
            file,
            '--batch',
            '100',
            '--errors',
            path.join(dir, 'errors.jsonl'),
          ],
          {
            cwd: PROJECT_ROOT,
            env,
            stdio: 'ignore',
          },
        );
        if (kill) {
          const poll = setInterval(() => {
            void people.counts().then((c) => {
              if (c.candidates > 0 && c.candidates < N) {
                clearInterval(poll);
                child.kill('SIGKILL');
              }
            });
          }, 50);
          child.once('exit', () => clearInterval(poll));
        }
        child.once('exit', (code) => resolve(code));
      });
    const killedCode = await run(true);
    const partial = await people.counts();
    log(`killed import (exit ${killedCode}): ${JSON.stringify(partial)}`);
    assert.ok(
      partial.candidates < N || partial.applications < N,
      'the first run was stopped before it finished',
    );
    assert.equal(await run(false), 0);
    const full = await people.counts();
    assert.equal(full.candidates, N);
    assert.equal(full.vacancies, 50);
    assert.equal(full.applications, N);
    assert.equal(await run(false), 0, 'and once more: idempotent');
    assert.deepEqual(await people.counts(), full);
  });
});
