import assert from 'node:assert/strict';
import { test } from 'vitest';
import { classifyEscoFile, versionFromName } from '../../src/import/esco/escoFiles.js';
import {
  RowError,
  splitLabels,
  toEdgeRow,
  toNodeRow,
  toTranslationRow,
} from '../../src/import/esco/escoRows.js';

const E = 'http://data.europa.eu/esco';

test('file names of ESCO v1.1.x and v1.2 are recognised', () => {
  assert.deepEqual(classifyEscoFile('occupations_en.csv'), { table: 'occupations', lang: 'en' });
  assert.deepEqual(classifyEscoFile('x/skills_fr.csv'), { table: 'skills', lang: 'fr' });
  assert.deepEqual(classifyEscoFile('occupationSkillRelations.csv'), {
    table: 'occupationSkills',
    lang: undefined,
  });
  assert.deepEqual(classifyEscoFile('occupationSkillRelations_en.csv'), {
    table: 'occupationSkills',
    lang: 'en',
  });
  assert.deepEqual(classifyEscoFile('broaderRelationsSkillPillar_en.csv'), {
    table: 'broaderSkills',
    lang: 'en',
  });
  assert.equal(classifyEscoFile('greenSkillsCollection_en.csv'), undefined);
  assert.equal(versionFromName('/data/esco-v1.1.1-classification-en-csv.zip'), '1.1.1');
  assert.equal(versionFromName('ESCO dataset - v1.2.0 - classification - en - csv.zip'), undefined);
});

test('alternative labels are split on newlines, trimmed and deduplicated', () => {
  assert.deepEqual(splitLabels('a\r\n b \n\na\n'), ['a', 'b']);
  assert.deepEqual(splitLabels(undefined), []);
});

test('an occupation record becomes a node row with list and text labels', () => {
  const row = toNodeRow('occupations', {
    conceptUri: `${E}/occupation/x`,
    preferredLabel: 'data scientist',
    altLabels: 'ML scientist\ndata science specialist',
    code: '2511.4',
    iscoGroup: '2511',
    description: '',
  });
  assert.equal(row.uri, `${E}/occupation/x`);
  assert.deepEqual(row.props.altLabels, ['ML scientist', 'data science specialist']);
  assert.equal(row.props.altLabelsText, 'ML scientist\ndata science specialist');
  assert.equal(row.props.code, '2511.4');
  assert.equal(row.props.description, null);
});

test('translations get a language suffix', () => {
  const row = toTranslationRow('fr', {
    conceptUri: `${E}/occupation/x`,
    preferredLabel: 'scientifique',
    altLabels: 'a\nb',
  });
  assert.equal(row.props.preferredLabelFr, 'scientifique');
  assert.deepEqual(row.props.altLabelsFr, ['a', 'b']);
});

test('bad records raise RowError naming the field', () => {
  assert.throws(
    () => toNodeRow('skills', { conceptUri: 'nope', preferredLabel: 'x' }),
    (e: unknown) => e instanceof RowError && e.field === 'conceptUri',
  );
  assert.throws(
    () => toNodeRow('skills', { conceptUri: `${E}/skill/x`, preferredLabel: ' ' }),
    (e: unknown) => e instanceof RowError && e.field === 'preferredLabel',
  );
  assert.throws(
    () =>
      toEdgeRow('occupationSkills', {
        occupationUri: `${E}/occupation/a`,
        skillUri: `${E}/skill/b`,
        relationType: 'sometimes',
      }),
    (e: unknown) => e instanceof RowError && e.field === 'relationType',
  );
  assert.deepEqual(toEdgeRow('broaderSkills', { conceptUri: `${E}/skill/a`, broaderUri: `${E}/skill/b` }), {
    from: `${E}/skill/a`,
    to: `${E}/skill/b`,
  });
});
