import assert from 'node:assert/strict';
import { test } from 'vitest';
import {
  Kind,
  parse,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLResolveInfo,
  type OperationDefinitionNode,
} from 'graphql';
import { connectionSelection, nestedSkillPages } from '../../src/resolvers/selection.js';

/** The resolve info of the first top-level field of a document (only the parts the helper reads). */
function infoOf(source: string): GraphQLResolveInfo {
  const doc = parse(source);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const fragments = Object.fromEntries(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  const field = op?.selectionSet.selections[0] as FieldNode;
  return { fieldNodes: [field], fragments } as unknown as GraphQLResolveInfo;
}

test('identity and English labels only: summary, and no count without totalCount or pageInfo', () => {
  const s = connectionSelection(
    infoOf(
      '{ occupations(first: 100) { nodes { uri preferredLabel altLabels essentialSkills { nodes { uri } } } } }',
    ),
  );
  assert.deepEqual(s, { summary: true, count: false });
});

test('totalCount or pageInfo asks for the count', () => {
  assert.equal(connectionSelection(infoOf('{ occupations { totalCount nodes { uri } } }')).count, true);
  assert.equal(connectionSelection(infoOf('{ occupations { pageInfo { hasNextPage } } }')).count, true);
  assert.equal(
    connectionSelection(infoOf('{ occupations { ...C } } fragment C on OccupationConnection { totalCount }'))
      .count,
    true,
  );
});

test('any detail field, a French label, a variable language or a directive means full detail', () => {
  for (const q of [
    '{ occupations { nodes { uri description } } }',
    '{ occupations { nodes { uri scopeNote } } }',
    '{ skills { edges { node { skillType } } } }',
    '{ occupations { nodes { preferredLabel(lang: FR) } } }',
    'query($l: Language) { occupations { nodes { altLabels(lang: $l) } } }',
    'query($b: Boolean!) { occupations { nodes { uri @include(if: $b) } } }',
    '{ occupations { nodes { ...F } } } fragment F on Occupation { uri definition }',
    '{ occupations { edges { node { ... on Occupation { regulatedProfessionNote } } } } }',
  ]) {
    assert.equal(connectionSelection(infoOf(q)).summary, false, q);
  }
});

test('English made explicit, fragments and edges with summary fields stay summary', () => {
  const q =
    '{ occupations { edges { cursor node { ...F preferredLabel(lang: EN) } } } } fragment F on Occupation { uri code __typename iscoGroup { code } }';
  assert.deepEqual(connectionSelection(infoOf(q)), { summary: true, count: false });
});

test('without resolve info the reader gets full detail and a count', () => {
  assert.deepEqual(connectionSelection(undefined), { summary: false, count: true });
});

test('look-ahead finds the skill pages a list of occupations selects, with their arguments', () => {
  const info = infoOf(
    '{ occupations(first: 5) { nodes { uri essentialSkills(first: 3) { nodes { uri preferredLabel } } optionalSkills { totalCount nodes { description } } } } }',
  );
  assert.deepEqual(nestedSkillPages(info), [
    { relation: 'essential', first: 3, after: null, summary: true },
    { relation: 'optional', first: null, after: null, summary: false },
  ]);
  const withVariables = {
    ...infoOf(
      'query($n: Int, $a: String) { occupations { nodes { essentialSkills(first: $n, after: $a) { nodes { uri } } } } }',
    ),
    variableValues: { n: 7, a: 'x' },
  } as GraphQLResolveInfo;
  assert.deepEqual(nestedSkillPages(withVariables), [
    { relation: 'essential', first: 7, after: 'x', summary: true },
  ]);
});

test('look-ahead leaves aliased twice, directive-carrying or absent skill fields to their own reads', () => {
  assert.deepEqual(
    nestedSkillPages(
      infoOf(
        '{ occupations { nodes { a: essentialSkills(first: 1) { nodes { uri } } b: essentialSkills(first: 2) { nodes { uri } } } } }',
      ),
    ),
    [],
  );
  assert.deepEqual(
    nestedSkillPages(
      infoOf(
        'query($b: Boolean!) { occupations { nodes { essentialSkills @include(if: $b) { nodes { uri } } } } }',
      ),
    ),
    [],
  );
  assert.deepEqual(nestedSkillPages(infoOf('{ occupations { nodes { uri } } }')), []);
  assert.deepEqual(nestedSkillPages(undefined), []);
});
