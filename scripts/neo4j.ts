/**
 * Runs the local Neo4j in the foreground until Ctrl-C, for development:
 *
 *   npx tsx scripts/neo4j.ts [--port N] [--data-dir D]
 *
 * Defaults come from the environment through loadConfig() (NEO4J_LOCAL_BOLT_PORT,
 * NEO4J_LOCAL_DATA_DIR, NEO4J_LOCAL_HEAP_MB, NEO4J_LOCAL_PAGECACHE_MB, NEO4J_LOCAL_READY_TIMEOUT_S).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.js';
import { LocalNeo4jError, startLocalNeo4j } from '../src/graph/localNeo4j.js';

const USAGE = 'usage: npx tsx scripts/neo4j.ts [--port N] [--data-dir D]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  if (config.neo4j.mode !== 'local') {
    console.error('NEO4J_URI is set, so the app uses that server; unset it to run a local Neo4j.');
    return 2;
  }
  const boltPort = values.port === undefined ? config.neo4j.boltPort : Number(values.port);
  if (!Number.isInteger(boltPort) || boltPort < 1 || boltPort > 65535) {
    console.error(`--port must be an integer in [1, 65535], got ${values.port}\n${USAGE}`);
    return 2;
  }
  const dataDir = values['data-dir'] === undefined ? config.neo4j.dataDir : path.resolve(values['data-dir']);

  const handle = await startLocalNeo4j({
    boltPort,
    dataDir,
    heapMb: config.neo4j.heapMb,
    pageCacheMb: config.neo4j.pageCacheMb,
    readyTimeoutMs: config.neo4j.readyTimeoutMs,
    log: (msg) => console.log(msg),
  });
  console.log(`Neo4j is ready at ${handle.uri} (no authentication; loopback only). Ctrl-C stops it.`);

  let stopRequested = false;
  const requestStop = (signal: NodeJS.Signals) => {
    if (stopRequested) return;
    stopRequested = true;
    console.log(`${signal}: stopping Neo4j…`);
    void handle.stop();
  };
  process.on('SIGINT', requestStop);
  process.on('SIGTERM', requestStop);

  const code = await handle.exited;
  if (stopRequested) {
    console.log('Neo4j stopped.');
    return 0;
  }
  console.error(`Neo4j exited unexpectedly (exit code ${code}); see ${path.join(dataDir, 'logs')}.`);
  return 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!(error instanceof LocalNeo4jError || error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
