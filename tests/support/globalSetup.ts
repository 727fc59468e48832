/**
 * vitest global setup of the database tiers (cypher, int, e2e): starts their own Neo4j instances,
 * never the development data, and stops them after the tier.
 * - "esco": port 7691, store `.data/neo4j-test` (kept between runs), holding the full ESCO graph,
 *   a small demo dataset and the embeddings the ranking tests use (prepared once, then checked);
 * - "scratch" (int and e2e): port 7692, a temporary store that tests may wipe.
 * Their URIs reach the test processes as TALENTGRAPH_TEST_NEO4J_URI / TALENTGRAPH_TEST_SCRATCH_URI
 * (set here before vitest forks them). TALENTGRAPH_TEST_ESCO_PORT, TALENTGRAPH_TEST_SCRATCH_PORT and
 * TALENTGRAPH_TEST_STORE move the instances, so two checkouts or engineers can test at once.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { TestProject } from 'vitest/node';
import { prepareGraph } from '../../src/app.js';
import { PROJECT_ROOT } from '../../src/config.js';
import { CypherRegistry } from '../../src/graph/cypherRegistry.js';
import { Neo4jGateway } from '../../src/graph/gateway.js';
import {
  ensureNeo4jLauncherBuilt,
  startLocalNeo4j,
  type LocalNeo4jHandle,
} from '../../src/graph/localNeo4j.js';
import { createProgress } from '../../src/import/progress.js';
import { createEmbedder } from '../../src/inference/embedder.js';
import { EmbeddingSync } from '../../src/services/embeddingSync.js';
import { testConfig } from './testEnv.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const tier = project.name;
  const log = (msg: string) => process.stderr.write(`[test ${tier}] ${msg}\n`);
  const escoPort = Number(process.env.TALENTGRAPH_TEST_ESCO_PORT ?? 7691);
  const scratchPort = Number(process.env.TALENTGRAPH_TEST_SCRATCH_PORT ?? 7692);
  const escoStore = path.resolve(
    PROJECT_ROOT,
    process.env.TALENTGRAPH_TEST_STORE ?? path.join('.data', 'neo4j-test'),
  );
  const handles: LocalNeo4jHandle[] = [];
  const scratchDirs: string[] = [];
  const stopAll = async () => {
    await Promise.all(handles.map((h) => h.stop()));
    for (const dir of scratchDirs) fs.rmSync(dir, { recursive: true, force: true });
  };
  const startInstance = async (port: number, dataDir: string) => {
    const handle = await startLocalNeo4j({
      boltPort: port,
      dataDir,
      heapMb: 768,
      pageCacheMb: 384,
      readyTimeoutMs: 180_000,
      log,
    });
    handles.push(handle);
    return handle;
  };

  try {
    await ensureNeo4jLauncherBuilt(log);
    const esco = startInstance(escoPort, escoStore);
    let scratch: Promise<LocalNeo4jHandle> | undefined;
    if (tier === 'int' || tier === 'e2e') {
      const scratchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'talentgraph-scratch-'));
      scratchDirs.push(scratchDir);
      scratch = startInstance(scratchPort, scratchDir);
    }
    const escoHandle = await esco;
    process.env.TALENTGRAPH_TEST_NEO4J_URI = escoHandle.uri;
    if (scratch) process.env.TALENTGRAPH_TEST_SCRATCH_URI = (await scratch).uri;

    // The config every test app gets (testConfig): in particular the generic models, so the store
    // is embedded by the model the tests embed queries with, whatever `npm run train:models` left
    // in this machine's CACHE_DIR (a trained bi-encoder here made stored and query vectors differ).
    const config = testConfig(escoHandle.uri);
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
          const sync = new EmbeddingSync(gateway, embedder, appLog, {
            batchSize: 128,
            pollMs: 1000,
            progress: createProgress(),
            quantization: config.inference.vectorIndexQuantization,
          });
          await sync.prepare();
          await sync.runOnce(['vacancy', 'candidate', 'occupation']);
        } finally {
          await embedder.close();
        }
      }
    } finally {
      await gateway.close();
    }
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}
