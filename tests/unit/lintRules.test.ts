/**
 * The lint rules that keep the dependency direction of ../shared/STYLE.md catch what they claim:
 * each test plants a violation in temporary files under src/ (inside the type-aware project),
 * lints them with the project's own ESLint config, and expects the rule to report it. A rule
 * whose settings are broken (as import-x's were: no .ts extensions, so no-cycle saw no imports)
 * fails here instead of passing silently.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, test } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';

const planted: string[] = [];
const tag = `${process.pid}_${Date.now()}`;

/** Writes a probe file at `relative` (a path under the project) and returns its absolute path. */
function plant(relative: string, text: string): string {
  const file = path.join(PROJECT_ROOT, relative);
  fs.writeFileSync(file, text);
  planted.push(file);
  return file;
}

async function rulesReported(files: string[]): Promise<string[]> {
  const eslint = new ESLint({ cwd: PROJECT_ROOT });
  const results = await eslint.lintFiles(files);
  return results.flatMap((r) => r.messages.map((m) => m.ruleId ?? `fatal: ${m.message}`));
}

afterAll(() => {
  for (const file of planted) fs.rmSync(file, { force: true });
});

describe('lint rules catch planted violations', { timeout: 120_000 }, () => {
  test('import-x/no-cycle reports a two-module cycle', async () => {
    const a = plant(
      `src/__lintProbeA_${tag}.ts`,
      `import { b } from './__lintProbeB_${tag}.js';\nexport const a = (): number => b() + 1;\n`,
    );
    const b = plant(
      `src/__lintProbeB_${tag}.ts`,
      `import { a } from './__lintProbeA_${tag}.js';\nexport const b = (): number => (Date.now() < 0 ? a() : 0);\n`,
    );
    const rules = await rulesReported([a, b]);
    assert.deepEqual(rules, ['import-x/no-cycle', 'import-x/no-cycle']);
  });

  test('import-x/no-restricted-paths reports src/graph importing a service', async () => {
    const file = plant(
      `src/graph/__lintProbe_${tag}.ts`,
      `import { RankingService } from '../services/rankingService.js';\nexport const name = RankingService.name;\n`,
    );
    assert.deepEqual(await rulesReported([file]), ['import-x/no-restricted-paths']);
  });

  test('import-x/no-restricted-paths reports src/system importing anything of the app', async () => {
    const file = plant(
      `src/system/__lintProbe_${tag}.ts`,
      `import { ErrorCode } from '../errors.js';\nexport const code = ErrorCode.TIMEOUT;\n`,
    );
    assert.deepEqual(await rulesReported([file]), ['import-x/no-restricted-paths']);
  });

  test('src/system may import its own modules', async () => {
    const file = plant(
      `src/system/__lintProbeClean_${tag}.ts`,
      `import { runCommand } from './runCommand.js';\nexport const run = runCommand;\n`,
    );
    assert.deepEqual(await rulesReported([file]), []);
  });

  test('import-x/no-restricted-paths reports the web console importing a server module', async () => {
    const file = plant(
      `web/src/__lintProbe_${tag}.ts`,
      `import { ErrorCode } from '../../src/errors.js';\nexport const code = ErrorCode.TIMEOUT;\n`,
    );
    assert.deepEqual(await rulesReported([file]), ['import-x/no-restricted-paths']);
  });

  test('no-restricted-imports reports neo4j-driver outside src/graph', async () => {
    const file = plant(
      `src/services/__lintProbe_${tag}.ts`,
      `import neo4j from 'neo4j-driver';\nexport const n = neo4j.int(1);\n`,
    );
    assert.deepEqual(await rulesReported([file]), ['no-restricted-imports']);
  });

  test('a clean module reports nothing (the probes are not failing for another reason)', async () => {
    const file = plant(
      `src/graph/__lintProbeClean_${tag}.ts`,
      `import { NotFoundError } from '../errors.js';\nexport const e = NotFoundError.name;\n`,
    );
    assert.deepEqual(await rulesReported([file]), []);
  });
});
