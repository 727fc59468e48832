/**
 * The service as a child process for the load and probe scripts: `node --import tsx src/main.ts`
 * with the caller's environment (so the same graph, models and settings as `npm start`), plus the
 * port, keys and limits the script needs, waited for until `/ready` answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { freePort } from '../../src/http/freePort.js';
import { SERVICE_NODE_FLAGS } from '../../src/nodeFlags.js';

export interface ServiceProcess {
  /** The GraphQL endpoint, `http://127.0.0.1:PORT/graphql`. */
  readonly url: string;
  readonly pid: number;
  /** The service's resident set size in bytes (from /proc), undefined once it is gone. */
  readonly rss: () => number | undefined;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
}

export interface ServiceOptions {
  /** Entries of the service's API_KEYS (`id:ROLE:org:sha256`, see `generateApiKey`). */
  readonly apiKeys: readonly string[];
  /** HTTP port; a free one when omitted. */
  readonly port?: number;
  /** Variables that replace the caller's environment's (limits, timeouts, …). */
  readonly env?: Readonly<Record<string, string>>;
  readonly readyTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

/**
 * Rate limits high enough that one script's many connections sharing a few keys are not refused
 * (each still applies when the caller's environment sets it).
 */
export function generousLimits(): Record<string, string> {
  const env = process.env;
  return {
    RATE_LIMIT_KEY_PER_S: env.RATE_LIMIT_KEY_PER_S ?? '100000',
    RATE_LIMIT_KEY_BURST: env.RATE_LIMIT_KEY_BURST ?? '100000',
    RATE_LIMIT_IP_PER_S: env.RATE_LIMIT_IP_PER_S ?? '100000',
    RATE_LIMIT_IP_BURST: env.RATE_LIMIT_IP_BURST ?? '100000',
    MAX_IN_FLIGHT_PER_CALLER: env.MAX_IN_FLIGHT_PER_CALLER ?? '100000',
  };
}

/** Reads a process's resident set size in bytes from /proc (Linux); undefined elsewhere. */
export function rssOf(pid: number): () => number | undefined {
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

export async function startServiceProcess(options: ServiceOptions): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}/graphql`;
  options.log?.(`starting the service on port ${port} …`);
  const child = spawn(
    process.execPath,
    [...SERVICE_NODE_FLAGS, '--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'main.ts')],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
        ...options.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        API_KEYS: options.apiKeys.join(','),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitReady(url.replace('/graphql', ''), child, options.readyTimeoutMs ?? 30 * 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const pid = child.pid ?? 0;
  return { url, pid, rss: rssOf(pid), stop };
}
