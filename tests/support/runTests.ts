/**
 * Runs one tier of tests: `tsx tests/support/runTests.ts <unit|cypher|int|e2e>`.
 *
 * Tiers that need a database get their own Neo4j instances, never the development data:
 * - "esco": port 7691, store `.data/neo4j-test` (kept between runs), holding the full ESCO graph;
 * - "scratch" (int and e2e tiers): port 7692, a temporary store that tests may wipe.
 * Their URIs reach the tests as TALENTGRAPH_TEST_NEO4J_URI / TALENTGRAPH_TEST_SCRATCH_URI.
 *
 * Further arguments keep only the test files whose path contains one of them
 * (`runTests.ts e2e ranking security`). TALENTGRAPH_TEST_ESCO_PORT, TALENTGRAPH_TEST_SCRATCH_PORT
 * and TALENTGRAPH_TEST_STORE move the instances, so two checkouts or engineers can test at once.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { prepareGraph } from '../../src/app.js';
import { loadConfig, PROJECT_ROOT } from '../../src/config.js';
import { CypherRegistry } from '../../src/graph/cypherRegistry.js';
import { Neo4jGateway } from '../../src/graph/gateway.js';
import { ensureNeo4jLauncherBuilt, startLocalNeo4j, type LocalNeo4jHandle } from '../../src/graph/localNeo4j.js';
import { createProgress } from '../../src/import/progress.js';
import { createEmbedder } from '../../src/inference/embedder.js';
import { EmbeddingSync } from '../../src/services/embeddingSync.js';
import { TEST_DATASET } from './testEnv.js';

const tier = process.argv[2] ?? '';
const TIERS = ['unit', 'cypher', 'int', 'e2e'];
if (!TIERS.includes(tier)) {
  process.stderr.write(`usage: runTests.ts <${TIERS.join('|')}>\n`);
  process.exit(2);
}

function findTests(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

const filters = process.argv.slice(3);
const files = findTests(path.join(PROJECT_ROOT, 'tests', tier)).filter(
  (file) => filters.length === 0 || filters.some((f) => path.relative(PROJECT_ROOT, file).includes(f)),
);
const escoPort = Number(process.env.TALENTGRAPH_TEST_ESCO_PORT ?? 7691);
const scratchPort = Number(process.env.TALENTGRAPH_TEST_SCRATCH_PORT ?? 7692);
const escoStore = path.resolve(PROJECT_ROOT, process.env.TALENTGRAPH_TEST_STORE ?? path.join('.data', 'neo4j-test'));
if (files.length === 0) {
  process.stderr.write(`no tests found in tests/${tier}${filters.length ? ` matching ${filters.join(', ')}` : ''}\n`);
  process.exit(1);
}

const log = (msg: string) => process.stderr.write(`[test ${tier}] ${msg}\n`);
const handles: LocalNeo4jHandle[] = [];
const env: NodeJS.ProcessEnv = { ...process.env };

async function startInstance(port: number, dataDir: string): Promise<LocalNeo4jHandle> {
  const handle = await startLocalNeo4j({ boltPort: port, dataDir, heapMb: 768, pageCacheMb: 384, readyTimeoutMs: 180_000, log });
  handles.push(handle);
  return handle;
}

async function stopAll(): Promise<void> {
  await Promise.all(handles.map((h) => h.stop()));
}

let exitCode = 1;
try {
  if (tier !== 'unit') {
    await ensureNeo4jLauncherBuilt(log);
    const esco = startInstance(escoPort, escoStore);
    const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'talentgraph-scratch-'));
    const scratch = tier === 'int' || tier === 'e2e' ? startInstance(scratchPort, scratchDir) : undefined;
    const escoHandle = await esco;
    env.TALENTGRAPH_TEST_NEO4J_URI = escoHandle.uri;
    if (scratch) env.TALENTGRAPH_TEST_SCRATCH_URI = (await scratch).uri;

    // The ESCO test store is prepared once (ESCO import and a small demo dataset on first run,
    // then only checked), with embeddings for what the ranking tests use.
    const config = loadConfig({ ...process.env, ...TEST_DATASET, NEO4J_URI: escoHandle.uri, NEO4J_PASSWORD: '' });
    const gateway = new Neo4jGateway({
      uri: escoHandle.uri,
      database: 'neo4j',
      txTimeoutMs: 600_000,
      registry: CypherRegistry.load(),
    });
    const appLog = pino({ level: 'info' }, pino.destination(2));
    try {
      await prepareGraph(gateway, config, appLog, createProgress());
      if (tier !== 'cypher') {
        const embedder = await createEmbedder(config);
        try {
          const sync = new EmbeddingSync(gateway, embedder, appLog, { batchSize: 128, pollMs: 1000, progress: createProgress(), quantization: config.inference.vectorIndexQuantization });
          await sync.prepare();
          await sync.runOnce(['vacancy', 'candidate', 'occupation']);
        } finally {
          await embedder.close();
        }
      }
    } finally {
      await gateway.close();
    }
  }
  const concurrency = tier === 'unit' ? 2 : 1;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files],
    { stdio: 'inherit', env, cwd: PROJECT_ROOT },
  );
  exitCode = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
} catch (error) {
  process.stderr.write(`[test ${tier}] setup failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
} finally {
  await stopAll();
}
process.exit(exitCode);
