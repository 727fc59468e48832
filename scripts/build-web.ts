/**
 * `npm run build:web [-- --force]`: builds the web console and explorer (`web/`) into CONSOLE_DIR
 * (default `dist/web`) when missing or stale, as `npm start` does; `--force` rebuilds anyway.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../src/config.js';
import { ensureConsoleBuilt, STAMP_FILE } from '../src/system/consoleBuild.js';

const config = loadConfig(process.env);
if (process.argv.includes('--force')) fs.rmSync(path.join(config.console.dir, STAMP_FILE), { force: true });
const result = await ensureConsoleBuilt({
  root: PROJECT_ROOT,
  outDir: config.console.dir,
  log: (line) => process.stderr.write(`${line}\n`),
});
if (result.status === 'fresh')
  process.stderr.write(`up to date: ${path.relative(PROJECT_ROOT, config.console.dir)}\n`);
if (result.status === 'unavailable' || result.status === 'failed') {
  process.stderr.write(`${result.reason}\n`);
  process.exitCode = 1;
}
