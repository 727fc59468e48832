/**
 * `npm run probe -- [--repetitions 3] [--port P] [--only shape,shape] [--out docs/security-probe.md]`
 *
 * The outside probe of issue #15, replayed (scripts/probe/probeShapes.ts): starts the service the
 * way `npm run load` does (same environment as `npm start`; NEO4J_LOCAL_DATA_DIR and
 * NEO4J_LOCAL_BOLT_PORT pick its store, and the probe writes to it: use a copy) with API keys for
 * ADMIN, ANALYST and a RECRUITER and PARTNER of every demo organization, runs every shape, prints
 * a table per shape with totals (attempts, refused, harmless, accepted wrongly, other code, 5xx,
 * hang) and whether the graph is unchanged after the reads phase, and writes them to --out.
 * Exit 1 when any attempt was accepted wrongly, a 5xx, a hang or another code, or the graph changed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { organizationId } from '../src/demo/generateDemo.js';
import { ORGANIZATIONS } from '../src/demo/vocabulary.js';
import { CypherRegistry } from '../src/graph/cypherRegistry.js';
import { Neo4jGateway } from '../src/graph/gateway.js';
import { graphSnapshot } from '../tests/support/snapshot.js';
import { generousLimits, startServiceProcess, type ServiceProcess } from './load/serviceProcess.js';
import { generateProbeKeys } from './probe/probeClient.js';
import { formatProbeTable, PROBE_REQUEST_TIMEOUT_MS, probeMarkdown, runProbe } from './probe/probeRunner.js';

const argv = process.argv.slice(2).filter((a) => a !== '--');
const arg = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const repetitions = Number(arg('repetitions') ?? 3);
const port = arg('port') === undefined ? undefined : Number(arg('port'));
const only = arg('only')?.split(',');
const out = path.resolve(PROJECT_ROOT, arg('out') ?? path.join('docs', 'security-probe.md'));
if (!Number.isInteger(repetitions) || repetitions < 1 || repetitions > 100) {
  process.stderr.write('usage: npm run probe -- [--repetitions N] [--port P] [--only a,b] [--out FILE]\n');
  process.exit(2);
}

const config = loadConfig(process.env);
if (config.neo4j.mode !== 'local') {
  process.stderr.write(
    'npm run probe writes to the graph: it runs on a local store (unset NEO4J_URI; NEO4J_LOCAL_DATA_DIR picks it)\n',
  );
  process.exit(2);
}
const { keys, entries } = generateProbeKeys(ORGANIZATIONS.map((_, i) => organizationId(i)));
const env = {
  ...generousLimits(),
  // The failed-login shape sends from addresses of its own (x-forwarded-for), so it throttles only them.
  TRUST_PROXY: 'true',
  REQUEST_TIMEOUT_MS: process.env.REQUEST_TIMEOUT_MS ?? String(PROBE_REQUEST_TIMEOUT_MS),
  PSEUDONYM_SECRET: process.env.PSEUDONYM_SECRET ?? randomBytes(24).toString('hex'),
};
let service: ServiceProcess | undefined;
let gateway: Neo4jGateway | undefined;
try {
  service = await startServiceProcess({
    apiKeys: entries,
    ...(port ? { port } : {}),
    env,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const db = new Neo4jGateway({
    uri: `bolt://127.0.0.1:${config.neo4j.boltPort}`,
    database: 'neo4j',
    txTimeoutMs: 120_000,
    registry: CypherRegistry.load(),
  });
  gateway = db;
  const started = new Date();
  const report = await runProbe({
    url: service.url,
    keys,
    repetitions,
    snapshot: async () => JSON.stringify(await graphSnapshot(db)),
    ...(only ? { only } : {}),
    onProgress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${formatProbeTable(report)}\n`);
  const command = `npm run probe -- --repetitions ${repetitions}${only ? ` --only ${only.join(',')}` : ''}`;
  fs.writeFileSync(
    out,
    probeMarkdown(report, {
      command,
      when: started.toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      setting: `store ${path.relative(PROJECT_ROOT, config.neo4j.dataDir)}; the service's defaults except rate limits and MAX_IN_FLIGHT_PER_CALLER raised (${Object.keys(generousLimits()).join(', ')}), TRUST_PROXY=true, REQUEST_TIMEOUT_MS=${env.REQUEST_TIMEOUT_MS} (below the 10 s hang threshold)${process.env.EMBEDDING_SYNC ? `, EMBEDDING_SYNC=${process.env.EMBEDDING_SYNC}` : ''}`,
    }),
  );
  process.stderr.write(`wrote ${path.relative(PROJECT_ROOT, out)}\n`);
  const t = report.totals;
  process.exitCode =
    t.acceptedWrongly + t.wrongCode + t.serverError + t.hang > 0 || report.graphUnchanged === false ? 1 : 0;
} catch (error) {
  process.stderr.write(`probe failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await gateway?.close();
  await service?.stop();
}
