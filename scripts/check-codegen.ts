/**
 * `npm run codegen:check`: fails when src/resolvers/__generated__ is stale against schema.graphql.
 * Generates into a temporary file and compares, leaving the tree untouched.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../src/config.js';

const target = path.join(PROJECT_ROOT, 'src/resolvers/__generated__/types.ts');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'codegen-'));
const config = path.join(tmp, 'codegen.ts');
const source = fs.readFileSync(path.join(PROJECT_ROOT, 'codegen.ts'), 'utf8');
const outFile = path.join(tmp, 'types.ts');
fs.writeFileSync(
  config,
  source
    .replace("schema: 'schema.graphql'", `schema: ${JSON.stringify(path.join(PROJECT_ROOT, 'schema.graphql'))}`)
    .replace("'src/resolvers/__generated__/types.ts'", JSON.stringify(outFile)),
);
execFileSync(path.join(PROJECT_ROOT, 'node_modules/.bin/graphql-codegen'), ['--config', config, '--silent'], {
  cwd: PROJECT_ROOT,
  stdio: ['ignore', 'ignore', 'inherit'],
});
const fresh = fs.readFileSync(outFile, 'utf8');
const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
fs.rmSync(tmp, { recursive: true, force: true });
if (fresh !== current) {
  process.stderr.write('Generated resolver types are stale: run `npm run codegen` and commit the result.\n');
  process.exit(1);
}
process.stdout.write('codegen: generated types are up to date\n');
