/**
 * vitest global setup of the browser tier (after the database setup): builds the web console when
 * missing or stale (as `npm start` does) and finds Debian's Chromium, installing it with apt-get
 * (`chromium`, as CI can: the machine has Debian's registry) when it is not there. Where it cannot
 * be installed the tier is skipped with a loud message on stderr and in every test's name, never
 * silently. CHROMIUM_PATH points at another Chromium.
 */
import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { PROJECT_ROOT, loadConfig } from '../../src/config.js';
import { ensureConsoleBuilt } from '../../src/system/consoleBuild.js';
import { runCommand } from '../../src/system/runCommand.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The tier a project runs (vitest.config.ts). */
    tier: string;
    /** Chromium's executable, or '' when the tier is skipped. */
    chromiumPath: string;
    /** Why there is no Chromium (empty when there is one). */
    chromiumMissing: string;
  }
}

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

function found(): string | undefined {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return fs.existsSync(configured) ? configured : undefined;
  return CANDIDATES.find((c) => fs.existsSync(c));
}

async function install(log: (m: string) => void): Promise<string> {
  if (process.platform !== 'linux')
    return `not Linux (${process.platform}): install Chromium and set CHROMIUM_PATH`;
  if (process.getuid?.() !== 0) return 'not root: run `apt-get install chromium` once, or set CHROMIUM_PATH';
  log('installing Debian chromium (apt-get update; apt-get install chromium) …');
  const env = { timeoutMs: 600_000, maxOutputChars: 2_000 };
  const update = await runCommand('apt-get', ['update', '-q'], env);
  if (update.status !== 'ok')
    return `apt-get update failed: ${update.status === 'not-found' ? 'no apt-get' : update.output}`;
  const add = await runCommand(
    'apt-get',
    ['install', '-y', '-q', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=120', 'chromium'],
    env,
  );
  if (add.status !== 'ok')
    return `apt-get install chromium failed: ${add.status === 'not-found' ? 'no apt-get' : add.output}`;
  return '';
}

export default async function setup(project: TestProject): Promise<void> {
  const log = (m: string) => process.stderr.write(`[test browser] ${m}\n`);
  const config = loadConfig(process.env);
  const built = await ensureConsoleBuilt({ root: PROJECT_ROOT, outDir: config.console.dir, log });
  if (built.status === 'failed' || built.status === 'unavailable') {
    throw new Error(`the web console could not be built: ${built.reason}`);
  }
  let chromium = found();
  let missing = '';
  if (!chromium) {
    missing = await install(log);
    chromium = found();
    if (!chromium && !missing) missing = 'apt-get installed chromium, but no executable was found';
  }
  if (!chromium) {
    const line = '!'.repeat(78);
    process.stderr.write(`\n${line}\n[test browser] SKIPPING THE BROWSER TIER: ${missing}\n${line}\n\n`);
  }
  project.provide('chromiumPath', chromium ?? '');
  project.provide('chromiumMissing', missing);
}
