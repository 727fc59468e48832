/**
 * Integration tests for the local Neo4j launcher: real JVMs, each on its own free port and temp store.
 * Run: npm run test:int -- localNeo4j
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { freePort } from '../../src/http/freePort.js';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { setTimeout as delay } from 'node:timers/promises';
import neo4j from 'neo4j-driver';
import {
  ensureNeo4jLauncherBuilt,
  LocalNeo4jError,
  startLocalNeo4j,
  vectorIndexSegments,
  type LocalNeo4jHandle,
} from '../../src/graph/localNeo4j.js';
import { CypherRegistry } from '../../src/graph/cypherRegistry.js';
import { int, Neo4jGateway } from '../../src/graph/gateway.js';

const HEAP_MB = 512;
const PAGE_CACHE_MB = 64;
const READY_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 180_000;

/** Quiet by default; the lines are kept for a failing assertion's message. */
const logLines: string[] = [];
const log = (msg: string) => void logLines.push(msg);

const tempDirs: string[] = [];
const handles: LocalNeo4jHandle[] = [];

async function newTempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'talentgraph-neo4j-'));
  tempDirs.push(dir);
  return dir;
}

async function start(boltPort: number, dataDir: string): Promise<LocalNeo4jHandle> {
  const handle = await startLocalNeo4j({
    boltPort,
    dataDir,
    heapMb: HEAP_MB,
    pageCacheMb: PAGE_CACHE_MB,
    readyTimeoutMs: READY_TIMEOUT_MS,
    log,
  });
  handles.push(handle);
  return handle;
}

async function runCypher<T>(uri: string, query: string, column: string): Promise<T> {
  const driver = neo4j.driver(uri);
  try {
    const { records } = await driver.executeQuery(query, {}, { database: 'neo4j' });
    return records[0]?.get(column) as T;
  } finally {
    await driver.close();
  }
}

async function rejectsWith(
  promise: Promise<unknown>,
  reason: LocalNeo4jError['reason'],
): Promise<LocalNeo4jError> {
  const error = await promise.then(
    () => assert.fail(`expected a ${reason} failure, but Neo4j started`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof LocalNeo4jError, `expected a LocalNeo4jError, got ${String(error)}`);
  assert.equal(error.reason, reason, error.message);
  return error;
}

/** True while `pid` runs; a zombie left for a non-reaping init counts as gone. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state ..."; Linux only, elsewhere signal 0 has to do.
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

describe('local Neo4j launcher', { timeout: 10 * 60_000 }, () => {
  let boltPort: number;
  let dataDir: string;
  let first: LocalNeo4jHandle;

  beforeAll(async () => {
    // The first build downloads Neo4j's jars; keep that out of the per-step timeouts below.
    await ensureNeo4jLauncherBuilt(log);
    boltPort = await freePort();
    dataDir = await newTempDir();
  });

  afterAll(async () => {
    await Promise.all(handles.map((handle) => handle.stop()));
    await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it(
    'starts on a free port and answers Cypher over Bolt without credentials',
    { timeout: STEP_TIMEOUT_MS },
    async () => {
      first = await start(boltPort, dataDir);
      assert.equal(first.uri, `bolt://127.0.0.1:${boltPort}`);
      const one = await runCypher<bigint | number>(first.uri, 'RETURN 1 AS one', 'one');
      assert.equal(neo4j.integer.toNumber(one), 1, logLines.join('\n'));
      await runCypher(first.uri, 'CREATE (p:LauncherProbe {id: 1}) RETURN p.id AS id', 'id');
    },
  );

  it('refuses a second instance on the same port with PORT_IN_USE', async () => {
    const error = await rejectsWith(start(boltPort, await newTempDir()), 'PORT_IN_USE');
    assert.match(error.message, new RegExp(`${boltPort}.*NEO4J_LOCAL_BOLT_PORT`));
  });

  it(
    'refuses a second instance on the same store with STORE_LOCKED',
    { timeout: STEP_TIMEOUT_MS },
    async () => {
      const error = await rejectsWith(start(await freePort(), dataDir), 'STORE_LOCKED');
      assert.match(error.message, /NEO4J_LOCAL_DATA_DIR/);
    },
  );

  it(
    'stops cleanly and idempotently, and the store reopens with its data',
    { timeout: STEP_TIMEOUT_MS },
    async () => {
      await Promise.all([first.stop(), first.stop()]);
      // 143 = the JVM ran its shutdown hook for SIGTERM (a SIGKILL would resolve null).
      assert.equal(await first.exited, 143);
      await first.stop();

      const reopened = await start(boltPort, dataDir);
      const count = await runCypher<unknown>(
        reopened.uri,
        'MATCH (p:LauncherProbe) RETURN count(p) AS n',
        'n',
      );
      assert.equal(neo4j.integer.toNumber(count as number), 1);
      await reopened.stop();
    },
  );

  it('exits when its parent process dies without calling stop()', { timeout: STEP_TIMEOUT_MS }, async () => {
    const moduleUrl = new URL('../../src/graph/localNeo4j.ts', import.meta.url).href;
    const options = {
      boltPort: await freePort(),
      dataDir: await newTempDir(),
      heapMb: HEAP_MB,
      pageCacheMb: PAGE_CACHE_MB,
      readyTimeoutMs: READY_TIMEOUT_MS,
    };
    const parentScript = [
      `import { startLocalNeo4j } from ${JSON.stringify(moduleUrl)};`,
      `const handle = await startLocalNeo4j({ ...${JSON.stringify(options)}, log: () => {} });`,
      'console.log(handle.pid);',
      'setInterval(() => {}, 60_000);',
    ].join('\n');
    const parent = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', parentScript],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    // The parent prints the JVM's pid once Neo4j is ready, then idles until killed.
    const line = await new Promise<string>((resolve, reject) => {
      readline.createInterface({ input: parent.stdout }).once('line', resolve);
      parent.once('exit', (code) => reject(new Error(`parent exited (${code}) before Neo4j was ready`)));
    });
    const jvmPid = Number(line);
    assert.ok(Number.isInteger(jvmPid) && isRunning(jvmPid), `JVM pid from the parent: ${line}`);

    parent.kill('SIGKILL');
    const deadline = Date.now() + 60_000;
    while (isRunning(jvmPid) && Date.now() < deadline) await delay(200);
    assert.equal(isRunning(jvmPid), false, `JVM ${jvmPid} outlived its parent`);
  });

  it(
    "populates a vector index as one Lucene segment (Neo4j's own settings leave several), and passes --setting on",
    { timeout: STEP_TIMEOUT_MS * 2 },
    async () => {
      // 20k vectors of 384 floats (~30 MB): Neo4j 5.26's population flushes a segment every few MB.
      const rows = Array.from({ length: 20_000 }, (_, i) => ({
        id: `v${i}`,
        vector: Array.from({ length: 384 }, (_, d) => Math.sin(i * 0.37 + d * 1.3) + ((i * 7 + d) % 11) / 11),
      }));
      const segments: Record<string, number> = {};
      for (const tuned of [true, false]) {
        const dataDir = await newTempDir();
        const handle = await startLocalNeo4j({
          boltPort: await freePort(),
          dataDir,
          heapMb: HEAP_MB,
          pageCacheMb: PAGE_CACHE_MB,
          readyTimeoutMs: READY_TIMEOUT_MS,
          vectorIndexTuning: tuned,
          log,
        });
        handles.push(handle);
        const gateway = new Neo4jGateway({
          uri: handle.uri,
          database: 'neo4j',
          txTimeoutMs: STEP_TIMEOUT_MS,
          registry: CypherRegistry.load(),
        });
        try {
          for (let i = 0; i < rows.length; i += 5000)
            await gateway.write('bench/create-vector-nodes', { rows: rows.slice(i, i + 5000) });
          await gateway.runAutoCommit('embedding/create-index-candidate', {
            dimension: int(384),
            quantization: false,
          });
          await gateway.runAutoCommit('embedding/await-index', {
            name: 'candidate_embedding',
            seconds: int(600),
          });
          const found = await gateway.read('ranking/vector-candidates', {
            n: int(10),
            vector: rows[123]!.vector,
          });
          assert.equal(found[0]?.id, 'v123', 'the index answers with the nearest vector first');
        } finally {
          await gateway.close();
          await handle.stop();
        }
        segments[tuned ? 'launcher' : 'neo4j'] = vectorIndexSegments(dataDir);
      }
      assert.equal(segments.launcher, 1, `segments per settings: ${JSON.stringify(segments)}`);
      assert.ok((segments.neo4j ?? 0) > 1, `segments per settings: ${JSON.stringify(segments)}`);

      // A --setting reaches Neo4j, which validates it: a bad value fails the start, naming the setting.
      const error = await rejectsWith(
        startLocalNeo4j({
          boltPort: await freePort(),
          dataDir: await newTempDir(),
          heapMb: HEAP_MB,
          pageCacheMb: PAGE_CACHE_MB,
          readyTimeoutMs: READY_TIMEOUT_MS,
          settings: { 'internal.dbms.index.vector.population_merge_factor': 'many' },
          log,
        }),
        'EXITED',
      );
      assert.match(error.message, /population_merge_factor/);
    },
  );
});
