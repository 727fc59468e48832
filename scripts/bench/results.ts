/**
 * Benchmark results as JSON files in docs/benchmarks/ (one per part and scale), from which
 * `npm run bench:report` renders docs/benchmarks.md. Parts run separately (and on other days);
 * the report shows each with the commit, load average and time it was measured at.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadSample, machineInfo, type LoadSample, type MachineInfo } from './system.js';

export const RESULTS_DIR = path.join(PROJECT_ROOT, 'docs', 'benchmarks');
export const REPORT_FILE = path.join(PROJECT_ROOT, 'docs', 'benchmarks.md');
export const HISTORY_DIR = path.join(RESULTS_DIR, 'history');

export interface ResultEnvelope<T> {
  readonly part: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: MachineInfo;
  /** The exact command that produced the file. */
  readonly command: string;
  readonly load: { readonly start: LoadSample; readonly end: LoadSample };
  readonly data: T;
}

export function resultFile(name: string): string {
  return path.join(RESULTS_DIR, `${name}.json`);
}

/** Runs `measure` and writes its result with the context a reader needs to judge it. */
export async function recordResult<T>(
  name: string,
  part: string,
  command: string,
  measure: () => Promise<T>,
): Promise<ResultEnvelope<T>> {
  const start = loadSample();
  const startedAt = start.at;
  // The commit checked out when the run started (the working tree may hold uncommitted changes).
  const machine = machineInfo();
  const data = await measure();
  const envelope: ResultEnvelope<T> = {
    part,
    startedAt,
    finishedAt: new Date().toISOString(),
    machine,
    command,
    load: { start, end: loadSample() },
    data,
  };
  fs.mkdirSync(HISTORY_DIR, { recursive: true });
  const text = `${JSON.stringify(envelope, null, 1)}\n`;
  fs.writeFileSync(resultFile(name), text);
  // Every run is also kept, so the report can show how much the same figure moves between runs.
  fs.writeFileSync(path.join(HISTORY_DIR, `${name}-${startedAt.replace(/[:.]/g, '-')}.json`), text);
  return envelope;
}

export function readResult<T>(name: string): ResultEnvelope<T> | null {
  try {
    return JSON.parse(fs.readFileSync(resultFile(name), 'utf8')) as ResultEnvelope<T>;
  } catch {
    return null;
  }
}

export function listResults(prefix: string): string[] {
  if (!fs.existsSync(RESULTS_DIR)) return [];
  return fs
    .readdirSync(RESULTS_DIR)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length));
}

/** Every recorded run of a result, oldest first. */
export function readHistory<T>(name: string): Array<ResultEnvelope<T>> {
  if (!fs.existsSync(HISTORY_DIR)) return [];
  return fs
    .readdirSync(HISTORY_DIR)
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.json') && /^\d/.test(f.slice(name.length + 1)))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(HISTORY_DIR, f), 'utf8')) as ResultEnvelope<T>);
}
