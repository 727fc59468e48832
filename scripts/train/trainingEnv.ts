/**
 * The Python environment that trains the matching models: a venv under
 * `CACHE_DIR/train/venv-<hash of requirements.txt>`, made with the machine's
 * `python3` and filled by pip from PyPI with the exact versions in
 * `scripts/train/requirements.txt`. Downloads are kept in `CACHE_DIR/train/pip-cache` (pip's
 * cache, set explicitly: the machine's default one may be absent or cleared), so a new venv for
 * changed requirements only downloads what changed.
 * Living in CACHE_DIR, it survives a fresh clone; a changed requirements file
 * gets a new folder. The venv is built under a temporary name and renamed when
 * complete, so an interrupted install is never mistaken for a ready one.
 *
 * `npm run train:models` and the training int test both come through here, so
 * CI from a fresh clone sets it up the same way. Failure throws
 * `TrainingEnvError` with the reason and what to do; nothing is skipped.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runCommand } from '../../src/system/runCommand.js';

export const TRAIN_DIR = path.dirname(new URL(import.meta.url).pathname);
export const REQUIREMENTS_FILE = path.join(TRAIN_DIR, 'requirements.txt');
export const TRAIN_ENTRY = path.join(TRAIN_DIR, 'main.py');
/** torch 2.15 publishes wheels for these CPython minor versions. */
const SUPPORTED_PYTHON = { min: [3, 10], max: [3, 14] } as const;
const READY_FILE = '.talentgraph-ready';

export class TrainingEnvError extends Error {
  override readonly name = 'TrainingEnvError';
}

export interface TrainingEnv {
  /** The venv's interpreter: run the training scripts with it. */
  readonly python: string;
  readonly venvDir: string;
  readonly requirementsSha256: string;
  /** False when an existing venv was reused. */
  readonly created: boolean;
  readonly seconds: number;
}

export interface TrainingEnvOptions {
  readonly cacheDir: string;
  /** Interpreter that creates the venv; default `python3` on PATH (or TRAIN_PYTHON). */
  readonly basePython?: string;
  readonly log?: (line: string) => void;
  /** Where pip's output goes: inherited (a terminal sees pip's progress) or collected for the error. */
  readonly pipOutput?: 'inherit' | 'collect';
}

/** The ready venv for the current requirements, created (about 5 minutes, 2.8 GB download) when missing. */
export async function ensureTrainingEnv(options: TrainingEnvOptions): Promise<TrainingEnv> {
  const started = performance.now();
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const requirements = await readFile(REQUIREMENTS_FILE);
  const requirementsSha256 = createHash('sha256').update(requirements).digest('hex');
  const venvDir = path.join(options.cacheDir, 'train', `venv-${requirementsSha256.slice(0, 16)}`);
  const python = path.join(venvDir, 'bin', 'python');
  const seconds = (): number => Math.round((performance.now() - started) / 100) / 10;
  if (await isReady(venvDir, requirementsSha256)) {
    return { python, venvDir, requirementsSha256, created: false, seconds: seconds() };
  }

  const basePython = options.basePython ?? process.env.TRAIN_PYTHON ?? 'python3';
  await checkPythonVersion(basePython);
  const partial = `${venvDir}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(path.dirname(venvDir), { recursive: true });
  log(`training environment: creating ${venvDir} (torch and its CUDA libraries from PyPI, ~2.8 GB, once)`);
  try {
    const made = await runCommand(basePython, ['-m', 'venv', partial], { timeoutMs: 120_000 });
    if (made.status !== 'ok') {
      throw new TrainingEnvError(
        `${basePython} -m venv failed: ${made.status === 'failed' ? made.output : 'not found'}. ` +
          'Install the venv module (Debian: apt-get install python3-venv).',
      );
    }
    const partialPython = path.join(partial, 'bin', 'python');
    await runPip(
      partialPython,
      path.join(options.cacheDir, 'train', 'pip-cache'),
      [
        '-m',
        'pip',
        'install',
        '--disable-pip-version-check',
        '--no-input',
        '--progress-bar',
        'off',
        '-r',
        REQUIREMENTS_FILE,
      ],
      options.pipOutput ?? 'inherit',
    );
    await writeFile(path.join(partial, READY_FILE), `${requirementsSha256}\n`);
    try {
      await rename(partial, venvDir);
    } catch (error) {
      // Another process finished the same venv first: use that one.
      if (!(await isReady(venvDir, requirementsSha256))) throw error;
      await rm(partial, { recursive: true, force: true });
    }
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    throw error;
  }
  log(`training environment ready in ${seconds()} s`);
  return { python, venvDir, requirementsSha256, created: true, seconds: seconds() };
}

async function isReady(venvDir: string, sha256: string): Promise<boolean> {
  try {
    const stamp = await readFile(path.join(venvDir, READY_FILE), 'utf8');
    return stamp.trim() === sha256 && existsSync(path.join(venvDir, 'bin', 'python'));
  } catch {
    return false;
  }
}

async function checkPythonVersion(python: string): Promise<void> {
  const result = await runCommand(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
    timeoutMs: 30_000,
  });
  if (result.status === 'not-found') {
    throw new TrainingEnvError(
      `${python} is not on PATH: training needs Python ${SUPPORTED_PYTHON.min.join('.')}–${SUPPORTED_PYTHON.max.join('.')} with venv and pip (or set TRAIN_PYTHON).`,
    );
  }
  if (result.status === 'failed') throw new TrainingEnvError(`${python} does not run: ${result.output}`);
  const [major = 0, minor = 0] = result.output.trim().split('.').map(Number);
  const { min, max } = SUPPORTED_PYTHON;
  const atLeast = major > min[0] || (major === min[0] && minor >= min[1]);
  const atMost = major < max[0] || (major === max[0] && minor <= max[1]);
  if (!atLeast || !atMost) {
    throw new TrainingEnvError(
      `${python} is Python ${major}.${minor}; the pinned torch needs ${min.join('.')}–${max.join('.')} (set TRAIN_PYTHON to another interpreter).`,
    );
  }
}

function runPip(
  python: string,
  cacheDir: string,
  args: readonly string[],
  output: 'inherit' | 'collect',
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, {
      stdio: output === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PIP_CACHE_DIR: cacheDir },
    });
    let tail = '';
    const keep = (chunk: Buffer): void => {
      tail = (tail + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('error', (error) => reject(new TrainingEnvError(`pip could not start: ${error.message}`)));
    child.once('close', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new TrainingEnvError(
            `pip install -r ${REQUIREMENTS_FILE} failed (exit ${code}); PyPI must be reachable the first time.` +
              (tail ? `\n${tail}` : ''),
          ),
        );
    });
  });
}

/** Runs `main.py` with the venv's Python; resolves with its exit code. Output goes to this process's. */
export function runTrainingScript(
  env: TrainingEnv,
  args: readonly string[],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(env.python, [TRAIN_ENTRY, ...args], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...extraEnv },
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
