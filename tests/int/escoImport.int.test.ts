/**
 * The ESCO importer against a real Neo4j: a hand-made fixture on the scratch instance (exact
 * counts, faults reported) and the full ../shared/esco data on the ESCO test instance.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { int, type Neo4jGateway } from '../../src/graph/gateway.js';
import { EscoSourceError } from '../../src/import/esco/escoFiles.js';
import { importEsco, readEscoCounts } from '../../src/import/esco/importEsco.js';
import { createTestGateway, escoUri, FIXTURES, scratchUri, SHARED_ESCO } from '../support/testEnv.js';

describe('fixture import (scratch database)', () => {
  let gateway: Neo4jGateway;
  beforeAll(async () => {
    gateway = createTestGateway(scratchUri());
    await gateway.runAutoCommit('admin/wipe');
  });
  afterAll(() => gateway.close());

  const fixture = path.join(FIXTURES, 'esco-mini');
  const expected = {
    occupations: 3,
    skills: 6,
    iscoGroups: 4,
    skillGroups: 2,
    requires: 8,
    essential: 5,
    optional: 3,
    broader: 10,
    relatedSkills: 2,
  };

  test('imports exact counts and reports bad rows and missing references', async () => {
    const report = await importEsco(gateway, { sources: [fixture], batchSize: 3, version: '1.2.0-test' });
    assert.deepEqual(report.counts, expected);
    assert.equal(report.version, '1.2.0-test');
    assert.equal(report.invalidRowCount, 2);
    assert.deepEqual(
      report.invalidRows.map((r) => [path.basename(r.origin), r.field]),
      [
        ['occupations_en.csv', 'conceptUri'],
        ['occupationSkillRelations_en.csv', 'relationType'],
      ],
    );
    assert.deepEqual(report.missingReferenceCount, {
      occupations_fr: 1,
      iscoGroups_fr: 0,
      broaderOccupations: 0,
      broaderSkills: 1,
      occupationSkills: 1,
      skillSkills: 0,
    });
    const missingSkill = report.missingReferences.find((m) => m.table === 'broaderSkills');
    assert.equal(missingSkill?.missing, 'from');
    assert.match(missingSkill?.from ?? '', /sk-missing$/);
  });

  test('French labels land on the same nodes', async () => {
    const [row] = await gateway.read('taxonomy/occupations-by-code', { keys: ['2511.4'] });
    const node = row?.node as Record<string, unknown>;
    assert.equal(node.preferredLabel, 'data scientist');
    assert.equal(node.preferredLabelFr, 'scientifique des données');
    assert.deepEqual(node.altLabelsFr, ['data scientiste', 'scientifique des données']);
  });

  test('a second import changes no counts', async () => {
    const report = await importEsco(gateway, { sources: [fixture], batchSize: 1000 });
    assert.deepEqual(report.counts, expected);
    assert.deepEqual(await readEscoCounts(gateway), expected);
  });

  test('a source without the needed files is refused with download help, writing nothing', async () => {
    await assert.rejects(
      importEsco(gateway, { sources: [path.join(FIXTURES)], batchSize: 10 }),
      (e: unknown) =>
        e instanceof EscoSourceError && /missing/.test(e.message) && /esco\.ec\.europa\.eu/.test(e.message),
    );
    await assert.rejects(
      importEsco(gateway, { sources: ['/nonexistent/esco'], batchSize: 10 }),
      EscoSourceError,
    );
    assert.deepEqual(await readEscoCounts(gateway), expected);
  });
});

describe('full ESCO v1.1.1 import (ESCO test database)', () => {
  let gateway: Neo4jGateway;
  beforeAll(() => {
    gateway = createTestGateway(escoUri());
  });
  afterAll(() => gateway.close());

  // 123,855 relations, 67 of which name an occupation absent from the occupations file.
  const expected = {
    occupations: 3007,
    skills: 13896,
    iscoGroups: 619,
    skillGroups: 640,
    requires: 123788,
    essential: 64891,
    optional: 58897,
    broader: 24265,
    relatedSkills: 5899,
  };

  test('the graph holds exact counts, and re-importing changes none', async () => {
    const report = await importEsco(gateway, { sources: [SHARED_ESCO], batchSize: 5000 });
    assert.deepEqual(report.counts, expected);
    assert.equal(report.version, '1.1.1');
    assert.equal(report.missingReferenceCount.occupationSkills, 67);
    assert.equal(report.invalidRowCount, 0);
    assert.deepEqual(await readEscoCounts(gateway), expected);
  });

  test('data scientist has 54 essential skills', async () => {
    const [row] = await gateway.read('taxonomy/occupations-by-code', { keys: ['2511.4'] });
    const uri = (row?.node as { uri: string }).uri;
    const rows = await gateway.read('taxonomy/occupation-skills-page', {
      keys: [{ id: '0', uri, relation: 'essential', skip: int(0), limit: int(1) }],
    });
    assert.equal(rows[0]?.totalCount, 54);
  });
});
