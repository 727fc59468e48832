/**
 * The demo generator on the real ESCO graph (the test instance holding full ESCO): the snapshot
 * loads in a few paged queries and is reproducible, and generation from it is deterministic and
 * valid. Read-only: nothing is written to the database.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Neo4jGateway } from '../../src/graph/gateway.js';
import { PeopleRecord } from '../../src/domain/peopleInput.js';
import { loadEscoSnapshot, type EscoSnapshot } from '../../src/demo/escoSnapshot.js';
import { generateDemo, type DemoOptions } from '../../src/demo/generateDemo.js';
import { createTestGateway, escoUri } from '../support/testEnv.js';

describe('demo generator on the full ESCO graph', () => {
  let gateway: Neo4jGateway;
  let snapshot: EscoSnapshot;
  let statements = 0;

  beforeAll(async () => {
    gateway = createTestGateway(escoUri());
    const before = gateway.statementsRun;
    snapshot = await loadEscoSnapshot(gateway);
    statements = gateway.statementsRun - before;
  });
  afterAll(() => gateway.close());

  test('loads occupations with their skills and all skills in a few batched queries', () => {
    assert.ok(statements <= 10, `${statements} queries`);
    // ESCO v1.1.1: 3,007 occupations and 13,896 skills; later versions have more.
    assert.ok(snapshot.occupations.length >= 3000, `${snapshot.occupations.length} occupations`);
    assert.ok(snapshot.skills.length >= 13_800, `${snapshot.skills.length} skills`);
    const withEssential = snapshot.occupations.filter((o) => o.essential.length > 0).length;
    assert.ok(withEssential / snapshot.occupations.length > 0.99);
    const requirements = snapshot.occupations.reduce((n, o) => n + o.essential.length + o.optional.length, 0);
    assert.ok(requirements > 100_000, `${requirements} requirements`);
    const developer = snapshot.occupations.find((o) => o.preferredLabel === 'software developer');
    assert.ok(developer, 'software developer is in the snapshot');
    assert.equal(developer.iscoGroup, '2512');
    assert.ok(developer.altLabels.length > 0 && !developer.altLabels.includes(developer.preferredLabel));
    assert.ok(
      snapshot.skills.some((s) => s.kind === 'knowledge') &&
        snapshot.skills.some((s) => s.kind === 'competence'),
    );
  });

  test('the snapshot is reproducible', async () => {
    assert.deepEqual(
      await loadEscoSnapshot(gateway, { occupationPageSize: 700, skillPageSize: 3000 }),
      snapshot,
    );
  });

  test('generates 500 candidates and 50 vacancies deterministically and validly', () => {
    const options: DemoOptions = { candidates: 500, vacancies: 50, seed: 42 };
    const first = generateDemo(snapshot, options);
    const records = [...first.records];
    const fit = [...first.fit];
    const second = generateDemo(snapshot, options);
    assert.deepEqual([...second.records], records);
    assert.deepEqual([...second.fit], fit);

    for (const record of records) {
      const parsed = PeopleRecord.safeParse(record);
      assert.ok(parsed.success, parsed.success ? '' : parsed.error.message);
    }
    const count = (type: PeopleRecord['type']) => records.filter((r) => r.type === type).length;
    assert.equal(count('candidate'), 500);
    assert.equal(count('vacancy'), 50);
    const applications = records.filter((r) => r.type === 'application');
    assert.ok(applications.length > 500, `${applications.length} applications`);
    const labelled = new Set(fit.map((f) => `${f.vacancyId}|${f.candidateId}`));
    for (const a of applications) assert.ok(labelled.has(`${a.vacancyId}|${a.candidateId}`));
    assert.ok(fit.length >= applications.length + 50 * 20);
  });
});
