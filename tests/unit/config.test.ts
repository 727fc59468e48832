import assert from 'node:assert/strict';
import { test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

test('defaults start a local Neo4j and serve on 4000', () => {
  const config = loadConfig({});
  assert.equal(config.port, 4000);
  assert.equal(config.neo4j.mode, 'local');
  if (config.neo4j.mode === 'local') {
    assert.equal(config.neo4j.boltPort, 7687);
    assert.ok(config.neo4j.heapMb + config.neo4j.pageCacheMb <= 2048, 'local Neo4j fits in about 2 GiB');
  }
  assert.deepEqual(config.esco.sources, []);
});

test('NEO4J_URI selects a remote server and requires a password', () => {
  assert.throws(
    () => loadConfig({ NEO4J_URI: 'neo4j://db.example:7687' }),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /NEO4J_PASSWORD/);
      return true;
    },
  );
  const config = loadConfig({
    NEO4J_URI: 'neo4j+s://db.example',
    NEO4J_PASSWORD: 'x',
    NEO4J_DATABASE: 'talent',
  });
  assert.equal(config.neo4j.mode, 'remote');
  assert.equal(config.neo4j.database, 'talent');
});

test('invalid values are reported by variable name', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', NEO4J_URI: 'http://x', NEO4J_PASSWORD: '' }),
    (e: unknown) => e instanceof ConfigError && /PORT/.test(e.message) && /NEO4J_URI/.test(e.message),
  );
});

test('ESCO sources come from ESCO_ZIPS and ESCO_DIR', () => {
  const config = loadConfig({ ESCO_ZIPS: '/a.zip,/b.zip', ESCO_DIR: '/esco' });
  assert.deepEqual(config.esco.sources, ['/a.zip', '/b.zip', '/esco']);
});

test('npm start runs the service with the same Node flags as the scripts that start it as a child', async () => {
  const { SERVICE_NODE_FLAGS } = await import('../../src/nodeFlags.js');
  const { readFileSync } = await import('node:fs');
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const start = pkg.scripts.start ?? '';
  assert.match(start, /^node .*--import tsx src\/main\.ts$/);
  for (const flag of SERVICE_NODE_FLAGS)
    assert.ok(start.split(' ').includes(flag), `start script lacks ${flag}`);
});
