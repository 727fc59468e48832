/**
 * `npm run load -- [--connections 50] [--duration 60] [--port P] [--background-rankings N]
 *   [--url URL --key ADMIN_KEY [--analyst-key KEY] [--pid PID]]`
 *
 * Load test over a mixed workload (taxonomy, people reads, rankings, skill gaps, title
 * normalisation, persisted queries, and requests that must be refused). Reports requests/s,
 * latency percentiles, errors (exit 1 on any unexpected one) and the server's RSS at half time
 * and at the end (growth should stay under 10 %).
 *
 * With --background-rankings N it measures instead what #15 item 7 asks: the p50/p95/p99 of cheap
 * taxonomy reads (occupation(code), skill(uri), search) over --connections loops, first alone for
 * half of --duration, then with N uncached rankings running at once for the other half, and their
 * p95 ratio, with the load average and RSS at the end of each half.
 *
 * Without --url it starts the service itself (`node --import tsx src/main.ts`, same environment,
 * so the same graph and models as `npm start`; NEO4J_LOCAL_DATA_DIR / NEO4J_LOCAL_BOLT_PORT pick
 * its store) on --port or a free port with a generated ADMIN and ANALYST key and generous rate
 * limits, measures it, and stops it. With --url it loads a running server; --pid lets it read that
 * server's RSS.
 */
import { generateApiKey } from '../src/security/credentials.js';
import {
  formatLoadReport,
  formatTaxonomyReport,
  runLoad,
  runTaxonomyUnderRankings,
} from './load/loadRunner.js';
import { generousLimits, rssOf, startServiceProcess, type ServiceProcess } from './load/serviceProcess.js';

const argv = process.argv.slice(2).filter((a) => a !== '--');
const arg = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const connections = Number(arg('connections') ?? 50);
const durationS = Number(arg('duration') ?? 60);
const port = arg('port') === undefined ? undefined : Number(arg('port'));
const background = arg('background-rankings') === undefined ? undefined : Number(arg('background-rankings'));
if (
  !Number.isInteger(connections) ||
  connections < 1 ||
  !(durationS > 0) ||
  durationS > 3600 ||
  (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) ||
  (background !== undefined && !(Number.isInteger(background) && background >= 1 && background <= 1000))
) {
  process.stderr.write(
    'usage: npm run load -- [--connections N] [--duration S] [--port P] [--background-rankings N] [--url URL --key KEY [--analyst-key KEY] [--pid PID]]\n',
  );
  process.exit(2);
}

let service: ServiceProcess | undefined;
let url = arg('url');
let keys: { admin: string; analyst?: string };
let rss: (() => number | undefined) | undefined = arg('pid') ? rssOf(Number(arg('pid'))) : undefined;
try {
  if (url) {
    const key = arg('key');
    if (!key) throw new Error('--url needs --key (an ADMIN key of that server)');
    const analyst = arg('analyst-key');
    keys = { admin: key, ...(analyst ? { analyst } : {}) };
  } else {
    const admin = generateApiKey('load-admin', 'ADMIN', null);
    const analyst = generateApiKey('load-analyst', 'ANALYST', null);
    keys = { admin: admin.key, analyst: analyst.key };
    service = await startServiceProcess({
      apiKeys: [admin.entry, analyst.entry],
      ...(port ? { port } : {}),
      // The load runner's connections share two keys: per-key limits and the per-caller cap must not refuse them.
      env: generousLimits(),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    url = service.url;
    rss = service.rss;
  }
  const onProgress = (line: string) => process.stderr.write(`${line}\n`);
  if (background !== undefined) {
    const report = await runTaxonomyUnderRankings({
      url,
      keys,
      connections,
      phaseMs: (durationS * 1000) / 2,
      backgroundRankings: background,
      ...(rss ? { rss } : {}),
      onProgress,
    });
    process.stdout.write(`${formatTaxonomyReport(report)}\n`);
    process.exitCode = report.idle.taxonomy.errors + report.loaded.taxonomy.errors > 0 ? 1 : 0;
  } else {
    const report = await runLoad({
      url,
      keys,
      connections,
      durationMs: durationS * 1000,
      ...(rss ? { rss } : {}),
      onProgress,
    });
    process.stdout.write(`${formatLoadReport(report, connections)}\n`);
    process.exitCode = report.unexpected > 0 ? 1 : 0;
  }
} catch (error) {
  process.stderr.write(`load run failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await service?.stop();
}
