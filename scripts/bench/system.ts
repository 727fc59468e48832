/** What the machine was doing during a benchmark: load average, memory of a process, the commit. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { PROJECT_ROOT } from '../../src/config.js';

export interface LoadSample {
  readonly at: string;
  /** 1-, 5- and 15-minute load averages (other engineers share this machine). */
  readonly loadavg: readonly [number, number, number];
}

export function loadSample(): LoadSample {
  const [a = 0, b = 0, c = 0] = os.loadavg();
  return { at: new Date().toISOString(), loadavg: [round2(a), round2(b), round2(c)] };
}

export interface ProcessMemory {
  /** Resident set size now, MB. */
  readonly rssMb: number;
  /** Peak resident set size since the process started (VmHWM), MB. */
  readonly peakMb: number;
}

/** VmRSS / VmHWM of a live process from /proc (Linux); null when it cannot be read. */
export function processMemory(pid: number | undefined): ProcessMemory | null {
  if (pid === undefined) return null;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
    return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
  } catch {
    return null;
  }
}

export interface MachineInfo {
  readonly cpu: string;
  /**
   * The CPU's vector extensions that the models' kernels use (from /proc/cpuinfo): two machines
   * with the same model name ("AMD EPYC") ran the int8 cross-encoder 2.7× apart, one with
   * AVX-512 VNNI and one with AVX2 only. Absent in results recorded before 7 Dec.
   */
  readonly cpuFlags?: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly node: string;
  readonly commit: string;
}

export function machineInfo(): MachineInfo {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    }).trim();
  } catch {
    // not a git checkout
  }
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cpuFlags: vectorExtensions(),
    cores: os.availableParallelism(),
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    commit,
  };
}

const VECTOR_FLAGS = ['avx2', 'avx512f', 'avx512_vnni', 'avx_vnni', 'amx_int8'];

/** Which of VECTOR_FLAGS the CPU has, space-separated ('unknown' where /proc/cpuinfo is unreadable). */
export function vectorExtensions(): string {
  try {
    const flags = new Set(
      /^flags\s*:(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim().split(/\s+/),
    );
    return VECTOR_FLAGS.filter((f) => flags.has(f)).join(' ') || 'none';
  } catch {
    return 'unknown';
  }
}

/** Size of a folder in MB (`du`), or NaN. */
export function folderSizeMb(dir: string): number {
  try {
    const out = execFileSync('du', ['-sm', dir], { encoding: 'utf8' });
    return Number(out.split(/\s/)[0]);
  } catch {
    return Number.NaN;
  }
}

export const round2 = (v: number) => Math.round(v * 100) / 100;
