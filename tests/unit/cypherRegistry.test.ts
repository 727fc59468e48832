import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'vitest';
import { CypherRegistry, parseCypherFile } from '../../src/graph/cypherRegistry.js';

test('every statement in cypher/ has a header and uses only declared parameters', () => {
  const registry = CypherRegistry.load();
  const all = registry.all();
  assert.ok(all.length > 30);
  for (const s of all) {
    const used = new Set([...s.text.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]));
    for (const p of used)
      assert.ok(s.params.includes(p ?? ''), `${s.name}: $${p} is not declared in its header`);
    assert.ok(!/\$\{/.test(s.text), `${s.name}: template placeholders are not allowed`);
    assert.ok(!/;\s*\S/.test(s.text.replace(/'[^']*'/g, '')), `${s.name}: one statement per file`);
  }
});

test('schema statements are recognised and idempotent', () => {
  const schema = CypherRegistry.load().inFolder('schema');
  assert.ok(schema.length >= 10);
  for (const s of schema) {
    assert.ok(s.isSchema, s.name);
    assert.match(s.text, /IF NOT EXISTS/, `${s.name} must be idempotent`);
  }
});

test('a file without a header is refused', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cypher-'));
  const file = path.join(dir, 'bad.cypher');
  fs.writeFileSync(file, 'RETURN 1');
  assert.throws(() => parseCypherFile(dir, file), /header/);
  fs.rmSync(dir, { recursive: true });
});

test('unknown statement names fail fast', () => {
  assert.throws(() => CypherRegistry.load().require(['taxonomy/nope']), /Unknown Cypher statement/);
});
