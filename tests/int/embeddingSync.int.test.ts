/**
 * EmbeddingSync's bulk path on the scratch database with the ESCO fixture and the real bi-encoder:
 * a backlog of at least `bulkBuildMin` (and more than is embedded) is embedded with the target's
 * vector index dropped, and the index is built over the stored vectors once the backlog is done
 * (one Lucene segment with the local Neo4j's settings: tests/int/localNeo4j.int.test.ts); below
 * the threshold the index exists before the first vector is written, as before.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { int, type Neo4jGateway } from '../../src/graph/gateway.js';
import { createEmbedder, type Embedder } from '../../src/inference/index.js';
import { EmbeddingSync } from '../../src/services/embeddingSync.js';
import { scratchUri, scratchWithFixture, silentLog, testConfig } from '../support/testEnv.js';

let gateway: Neo4jGateway;
let embedder: Embedder;

beforeAll(async () => {
  gateway = await scratchWithFixture();
  embedder = await createEmbedder(testConfig(scratchUri()));
});

afterAll(async () => {
  await embedder?.close();
  await gateway?.close();
});

const indexNames = async () =>
  new Set((await gateway.read('embedding/index-settings')).map((r) => String(r.name)));

const sync = (bulkBuildMin?: number) =>
  new EmbeddingSync(gateway, embedder, silentLog, {
    batchSize: 2,
    pollMs: 1000,
    ...(bulkBuildMin === undefined ? {} : { bulkBuildMin }),
  });

test('a large backlog is embedded without its index, which is built over the stored vectors after it', async () => {
  const [skills] = (await sync().progress()).filter((p) => p.target === 'skill');
  assert.ok(skills && skills.total >= 3 && skills.embedded === 0, JSON.stringify(skills));

  const [some] = await gateway.read('embedding/missing-skill', { limit: int(1) });
  assert.ok(some, 'the fixture has skills to embed');
  const bulk = sync(3);
  await bulk.prepare();
  assert.ok(bulk.deferredIndexes().includes('skill'), 'the skill index waits for its backlog');
  assert.equal((await indexNames()).has('skill_embedding'), false, 'no index while the backlog is embedded');
  assert.equal(bulk.isComplete('skill'), false);

  await bulk.runOnce(['skill']);
  assert.equal(bulk.isComplete('skill'), true);
  assert.ok(!bulk.deferredIndexes().includes('skill'));
  assert.ok((await indexNames()).has('skill_embedding'), 'the index exists once the backlog is done');
  const [first] = await gateway.read('embedding/missing-skill', { limit: int(1) });
  assert.equal(first, undefined, 'every skill has its vector');
  const near = await gateway.read('search/similar-skills-vector', { uri: String(some.key), n: int(2) });
  assert.ok(near.length > 0, 'the built index answers vector queries');

  // A later start with the backlog done keeps the index and does not defer it again.
  const again = sync(3);
  await again.prepare();
  assert.ok(!again.deferredIndexes().includes('skill'));
  assert.ok((await indexNames()).has('skill_embedding'));
  assert.equal(again.isComplete('skill'), true);
});

test('below the threshold the index is created before the first vector is written', async () => {
  const small = sync(); // BULK_BUILD_MIN: far above the fixture's label counts
  await small.prepare();
  assert.deepEqual(small.deferredIndexes(), []);
  const names = await indexNames();
  for (const name of [
    'candidate_embedding',
    'vacancy_embedding',
    'occupation_embedding',
    'skill_label_embedding',
  ])
    assert.ok(names.has(name), `${name} exists before embedding`);
});
