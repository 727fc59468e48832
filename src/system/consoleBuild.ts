/**
 * Builds the web console and explorer (`web/`, Vite) into the folder the server serves, when that
 * folder is missing or was built from other sources: `npm start` and the browser test tier call
 * it, so a fresh clone needs no extra command and build output is never committed.
 *
 * "Other sources" is a SHA-256 over every file under `web/` (the generated operation types
 * included), `schema.graphql` and `package-lock.json`, kept in the build's `.build-stamp`. The
 * build goes to a sibling folder first and replaces the served one only when it succeeded, so a
 * failed or concurrent build never leaves a half-written console behind. Where Vite is not
 * installed (a production install without dev dependencies) nothing is built and the caller is
 * told why; the server then serves its plain landing page.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { runCommand } from './runCommand.js';

export const STAMP_FILE = '.build-stamp';

export interface ConsoleBuildOptions {
  /** The project root (holds `web/`, `schema.graphql`, `package-lock.json`). */
  readonly root: string;
  /** Where the built files go (the server's CONSOLE_DIR). */
  readonly outDir: string;
  readonly log: (message: string) => void;
}

export type ConsoleBuildResult =
  | { readonly status: 'fresh' | 'built'; readonly inputs: string }
  | { readonly status: 'unavailable' | 'failed'; readonly reason: string };

function* filesUnder(dir: string): Iterable<string> {
  for (const entry of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

/** The hash of everything a build is made from. */
export function consoleInputsHash(root: string): string {
  const hash = createHash('sha256');
  const files = [
    ...filesUnder(path.join(root, 'web')),
    path.join(root, 'schema.graphql'),
    path.join(root, 'package-lock.json'),
  ];
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    hash.update(path.relative(root, file).split(path.sep).join('/'));
    hash.update('\0');
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** The inputs hash the folder was built from, or null when it holds no complete build. */
export function builtFrom(outDir: string): string | null {
  try {
    const stamp = JSON.parse(fs.readFileSync(path.join(outDir, STAMP_FILE), 'utf8')) as { inputs?: unknown };
    const complete =
      fs.existsSync(path.join(outDir, 'index.html')) && fs.existsSync(path.join(outDir, 'explorer.html'));
    return complete && typeof stamp.inputs === 'string' ? stamp.inputs : null;
  } catch {
    return null;
  }
}

function viteBin(root: string): string | null {
  try {
    const require = createRequire(path.join(root, 'package.json'));
    const pkg = require.resolve('vite/package.json');
    return path.join(path.dirname(pkg), 'bin', 'vite.js');
  } catch {
    return null;
  }
}

export async function ensureConsoleBuilt(options: ConsoleBuildOptions): Promise<ConsoleBuildResult> {
  const { root, outDir, log } = options;
  if (!fs.existsSync(path.join(root, 'web', 'vite.config.ts'))) {
    return { status: 'unavailable', reason: `no console sources at ${path.join(root, 'web')}` };
  }
  const inputs = consoleInputsHash(root);
  if (builtFrom(outDir) === inputs) return { status: 'fresh', inputs };
  const vite = viteBin(root);
  if (!vite || !fs.existsSync(vite)) {
    return {
      status: 'unavailable',
      reason: 'vite is not installed (install the dev dependencies: npm install)',
    };
  }
  const staging = `${outDir}.building-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  log(`building the web console into ${path.relative(root, outDir) || outDir} …`);
  const started = Date.now();
  const result = await runCommand(
    process.execPath,
    [
      vite,
      'build',
      '--config',
      path.join(root, 'web', 'vite.config.ts'),
      '--outDir',
      staging,
      '--emptyOutDir',
    ],
    { cwd: root, timeoutMs: 300_000, maxOutputChars: 4_000 },
  );
  if (result.status !== 'ok') {
    fs.rmSync(staging, { recursive: true, force: true });
    const reason = result.status === 'not-found' ? result.cause.message : result.output;
    return { status: 'failed', reason: `vite build failed: ${reason}` };
  }
  fs.writeFileSync(
    path.join(staging, STAMP_FILE),
    `${JSON.stringify({ inputs, builtAt: new Date().toISOString() })}\n`,
  );
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outDir), { recursive: true });
  fs.renameSync(staging, outDir);
  log(`web console built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { status: 'built', inputs };
}
