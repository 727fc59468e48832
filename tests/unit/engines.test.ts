/**
 * `engines` tells the truth: every Node version it admits is admitted by every installed
 * (non-optional) package of the lock file, and the README names the same lower bound.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { test } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';

interface LockEntry {
  readonly optional?: boolean;
  readonly engines?: { readonly node?: string } | readonly string[];
}

const read = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8'));
const ours = (read('package.json') as { engines: { node: string } }).engines.node;

/** Packages whose Node range does not contain the project's own (empty: engines is true). */
function narrowerEngines(range: string, packages: Record<string, LockEntry>): string[] {
  return Object.entries(packages).flatMap(([name, entry]) => {
    if (!name || entry.optional || !entry.engines || Array.isArray(entry.engines)) return [];
    const node = (entry.engines as { node?: string }).node;
    if (!node || !semver.validRange(node)) return [];
    return semver.subset(range, node) ? [] : [`${name} (node ${node})`];
  });
}

test('every dependency in the lock file runs on every Node version that engines admits', () => {
  const lock = read('package-lock.json') as { packages: Record<string, LockEntry> };
  assert.deepEqual(narrowerEngines(ours, lock.packages), []);
});

test('the check catches a dependency that needs a newer Node', () => {
  assert.deepEqual(narrowerEngines(ours, { 'node_modules/x': { engines: { node: '>=22.15.0' } } }), [
    'node_modules/x (node >=22.15.0)',
  ]);
});

test('the README names the lowest Node version engines admits', () => {
  const lowest = semver.minVersion(ours);
  assert.ok(lowest);
  const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  assert.match(readme, new RegExp(`Node ${lowest.major}\\.${lowest.minor}\\+`));
});
