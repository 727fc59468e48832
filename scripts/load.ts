/**
 * `npm run load -- [--connections 50] [--duration 60] [--url URL --key ADMIN_KEY [--analyst-key KEY] [--pid PID]]`
 *
 * Load test over a mixed workload (taxonomy, people reads, rankings, skill gaps, title
 * normalisation, persisted queries, and requests that must be refused). Reports requests/s,
 * latency percentiles, errors (exit 1 on any unexpected one) and the server's RSS at half time
 * and at the end (growth should stay under 10 %).
 *
 * Without --url it starts the service itself (`node --import tsx src/main.ts`, same environment,
 * so the same graph and models as `npm start`) on a free port with a generated ADMIN and ANALYST
 * key and generous rate limits, measures it, and stops it. With --url it loads a running server;
 * --pid lets it read that server's RSS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { freePort } from '../src/http/freePort.js';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';
import { SERVICE_NODE_FLAGS } from '../src/nodeFlags.js';
import { generateApiKey } from '../src/security/credentials.js';
import { formatLoadReport, runLoad } from './load/loadRunner.js';

const argv = process.argv.slice(2).filter((a) => a !== '--');
const arg = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const connections = Number(arg('connections') ?? 50);
const durationS = Number(arg('duration') ?? 60);
if (!Number.isInteger(connections) || connections < 1 || !(durationS > 0) || durationS > 3600) {
  process.stderr.write(
    'usage: npm run load -- [--connections N] [--duration S] [--url URL --key KEY [--analyst-key KEY] [--pid PID]]\n',
  );
  process.exit(2);
}

function rssOf(pid: number): () => number | undefined {
  return () => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      return m?.[1] ? Number(m[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  };
}

async function waitReady(base: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null)
      throw new Error(`the service exited (code ${child.exitCode}) before it was ready`);
    try {
      const res = await fetch(`${base}/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('the service was not ready in time');
}

let child: ChildProcess | undefined;
let url = arg('url');
let keys: { admin: string; analyst?: string };
let pid = arg('pid') ? Number(arg('pid')) : undefined;
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
    const port = await freePort();
    url = `http://127.0.0.1:${port}/graphql`;
    process.stderr.write(`starting the service on port ${port} …\n`);
    child = spawn(
      process.execPath,
      [...SERVICE_NODE_FLAGS, '--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'main.ts')],
      {
        cwd: PROJECT_ROOT,
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
          API_KEYS: `${admin.entry},${analyst.entry}`,
          RATE_LIMIT_KEY_PER_S: process.env.RATE_LIMIT_KEY_PER_S ?? '100000',
          RATE_LIMIT_KEY_BURST: process.env.RATE_LIMIT_KEY_BURST ?? '100000',
          RATE_LIMIT_IP_PER_S: process.env.RATE_LIMIT_IP_PER_S ?? '100000',
          RATE_LIMIT_IP_BURST: process.env.RATE_LIMIT_IP_BURST ?? '100000',
          // The load runner's connections share two keys: the per-caller cap must not refuse them.
          MAX_IN_FLIGHT_PER_CALLER: process.env.MAX_IN_FLIGHT_PER_CALLER ?? '100000',
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    pid = child.pid;
    await waitReady(url.replace('/graphql', ''), child, 30 * 60_000);
  }
  const report = await runLoad({
    url,
    keys,
    connections,
    durationMs: durationS * 1000,
    ...(pid ? { rss: rssOf(pid) } : {}),
    onProgress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${formatLoadReport(report, connections)}\n`);
  process.exitCode = report.unexpected > 0 ? 1 : 0;
} catch (error) {
  process.stderr.write(`load run failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child?.once('exit', r));
  }
}
