/**
 * Exponential shapes through fragments: the analysis does work linear in the document (measured
 * by its `visited` figure: selections it looked at, never time) and refuses what expands beyond
 * the caps with a stable code.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'vitest';
import {
  buildASTSchema,
  getIntrospectionQuery,
  Kind,
  parse,
  validate,
  visit,
  type DocumentNode,
  type OperationDefinitionNode,
} from 'graphql';
import { LimitError } from '../../../src/errors.js';
import { SCHEMA_FILE } from '../../../src/http/graphqlServer.js';
import {
  analyzeOperation,
  checkLimits,
  MAX_FRAGMENT_SPREADS,
  SATURATED,
  type OperationAnalysis,
  type QueryLimits,
} from '../../../src/security/queryAnalysis.js';

const schema = buildASTSchema(parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
const LIMITS: QueryLimits = { maxDepth: 12, maxCost: 20_000, maxAliases: 30, maxPageSize: 100 };

/** Selections (fields, spreads, inline fragments) written in the document. */
function selectionsIn(doc: DocumentNode): number {
  let n = 0;
  visit(doc, {
    Field: () => void (n += 1),
    FragmentSpread: () => void (n += 1),
    InlineFragment: () => void (n += 1),
  });
  return n;
}

function analyzeEach(query: string): Array<{ name: string; analysis: OperationAnalysis }> {
  const doc = parse(query);
  return doc.definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((op) => ({ name: op.name?.value ?? '', analysis: analyzeOperation(schema, doc, op) }));
}

function analyze(query: string): OperationAnalysis {
  const [first] = analyzeEach(query);
  assert.ok(first);
  return first.analysis;
}

function refusal(analysis: OperationAnalysis): { code: string; limit: string } | undefined {
  try {
    checkLimits(analysis, LIMITS);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof LimitError);
    return { code: error.code, limit: String(error.details?.limit) };
  }
}

/** `{ ...F<n> }` where F<i> spreads F<i-1> twice: 2^(n+1) - 1 spreads once expanded. */
function doublingChain(
  levels: number,
  leaf = '__typename',
  spread = (prev: string) => `...${prev} ...${prev}`,
) {
  const parts = [`{ ...F${levels} }`, `fragment F0 on Query { ${leaf} }`];
  for (let i = 1; i <= levels; i += 1) parts.push(`fragment F${i} on Query { ${spread(`F${i - 1}`)} }`);
  return parts.join(' ');
}

test('the 977-byte doubling chain of 25 fragments: 50 selections visited, refused as QUERY_TOO_COMPLEX', () => {
  const query = doublingChain(24);
  assert.equal(Buffer.byteLength(query), 977, 'the request of the issue');
  assert.deepEqual(validate(schema, parse(query)), [], 'valid GraphQL: only the analysis can stop it');
  const a = analyze(query);
  assert.equal(a.visited, selectionsIn(parse(query)), 'each written selection visited once');
  assert.equal(a.visited, 50);
  assert.equal(a.fragmentSpreads, 2 ** 25 - 1, 'the expansion is counted, not performed');
  assert.equal(a.cost, 0);
  assert.equal(a.depth, 0);
  assert.deepEqual(refusal(a), { code: 'QUERY_TOO_COMPLEX', limit: 'maxFragmentSpreads' });
});

test('a 40-level doubling chain: linear work, exact count of 2^41 - 1 spreads, refused', () => {
  const query = doublingChain(40);
  const a = analyze(query);
  assert.equal(a.visited, 82);
  assert.equal(a.fragmentSpreads, 2 ** 41 - 1);
  assert.deepEqual(refusal(a), { code: 'QUERY_TOO_COMPLEX', limit: 'maxFragmentSpreads' });
});

test('doubling through nested inline fragments: each level two inline fragments spreading the previous', () => {
  const query = doublingChain(
    30,
    'escoDataset { version }',
    (prev) => `... on Query { ... on Query { ...${prev} } } ... on Query { ...${prev} }`,
  );
  assert.deepEqual(validate(schema, parse(query)), []);
  const a = analyze(query);
  assert.equal(a.visited, selectionsIn(parse(query)));
  assert.ok(a.visited < 200, `visited ${a.visited}`);
  assert.ok(a.fragmentSpreads > 2 ** 30, 'inline fragments count as well');
  assert.equal(a.cost, 2 ** 30, 'escoDataset costs 1 in each of the 2^30 copies');
  assert.equal(a.depth, 2, 'escoDataset { version }');
  assert.deepEqual(refusal(a), { code: 'QUERY_TOO_COMPLEX', limit: 'maxFragmentSpreads' });
});

test('fragment chains shared by several operations of one document: each analysis stays linear', () => {
  const chain = doublingChain(30, 'a: __typename');
  const fragments = chain.slice(chain.indexOf('fragment'));
  const query = [
    'query One { ...F30 }',
    'query Two { escoDataset { version } ...F12 }',
    'query Three { ... on Query { ...F30 ...F29 } }',
    'query Four { escoDataset { version } }',
    fragments,
  ].join(' ');
  assert.deepEqual(validate(schema, parse(query)), []);
  const written = selectionsIn(parse(query));
  const results = analyzeEach(query);
  assert.deepEqual(
    results.map((r) => r.name),
    ['One', 'Two', 'Three', 'Four'],
  );
  for (const { name, analysis } of results)
    assert.ok(analysis.visited <= written, `${name}: ${analysis.visited}`);
  const byName = new Map(results.map((r) => [r.name, r.analysis]));
  assert.equal(byName.get('One')?.aliases, 2 ** 30, 'aliases are counted per expansion, arithmetically');
  assert.equal(refusal(byName.get('One')!)?.code, 'TOO_MANY_ALIASES');
  assert.equal(refusal(byName.get('Two')!)?.code, 'TOO_MANY_ALIASES');
  assert.equal(byName.get('Three')?.aliases, 2 ** 30 + 2 ** 29);
  assert.equal(refusal(byName.get('Four')!), undefined, 'an operation that spreads nothing is admitted');
  assert.equal(byName.get('Four')?.visited, 2);
});

test('costs that multiply through a chain saturate instead of overflowing (a zero page stays zero)', () => {
  const parts = ['{ occupation(code: "1") { ...C60 } }', 'fragment C0 on Occupation { broader { uri } }'];
  for (let i = 1; i <= 60; i += 1) parts.push(`fragment C${i} on Occupation { broader { ...C${i - 1} } }`);
  const a = analyze(parts.join(' '));
  assert.equal(a.cost, SATURATED, 'LIST_FACTOR^60 is beyond the figures');
  assert.ok(Number.isFinite(a.cost));
  assert.ok(a.visited <= 130);
  assert.equal(refusal(a)?.code, 'QUERY_TOO_DEEP');

  const zero = analyze(
    '{ occupations(first: 0) { nodes { ...Z } } } fragment Z on Occupation { broader { broader { uri } } }',
  );
  assert.equal(zero.cost, 1);
});

test('a memoised fragment counts exactly what its expansion written out by hand counts', () => {
  const body =
    'broader { uri x: code } essentialSkills(first: 3) { nodes { broader { uri } ...S } } narrower { ...S2 }';
  const s = 'requiredBy(first: 4) { nodes { code } }';
  const s2 = 'iscoGroup { code } broader { uri }';
  const withFragments =
    '{ occupations(first: 7) { nodes { ...O } } occupation(code: "1") { ...O ...O y: uri } } ' +
    `fragment O on Occupation { ${body} } fragment S on Skill { ${s} } fragment S2 on Occupation { ${s2} }`;
  const inline = (text: string) =>
    text
      .replaceAll('...S2', `... on Occupation { ${s2} }`)
      .replaceAll('...S', `... on Skill { ${s} }`)
      .replaceAll('...O', `... on Occupation { ${body} }`);
  const written = `{ occupations(first: 7) { nodes { ...O } } occupation(code: "1") { ...O ...O y: uri } }`;
  const a = analyze(withFragments);
  const b = analyze(inline(inline(written)));
  const figures = (x: OperationAnalysis) => ({
    cost: x.cost,
    depth: x.depth,
    aliases: x.aliases,
    fragmentSpreads: x.fragmentSpreads,
    largestPage: x.largestPage,
    coordinates: [...x.coordinates].sort(),
  });
  assert.deepEqual(figures(a), figures(b));
  // By hand: O = broader (1 + 10 × 0) + essentialSkills (1 + 3 × nodes (1 + broader 1 + requiredBy (1 + 4 × nodes 1)))
  //            + narrower (1 + 10 × (iscoGroup 1 + broader (1 + 10 × 0)))
  const o = 1 + (1 + 3 * (1 + 1 + (1 + 4 * 1))) + (1 + 10 * (1 + 1));
  assert.equal(a.cost, 1 + 7 * (1 + o) + (1 + 2 * o));
  assert.equal(a.aliases, 4);
  assert.ok(a.visited < b.visited, 'the fragment is analysed once, the written-out copies three times');
});

test('fragment cycles (which validation rejects) end the analysis and count as an infinite expansion', () => {
  for (const query of [
    '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }',
    '{ occupation(code: "1") { ...A } } fragment A on Occupation { broader { ...A } }',
    '{ ...A } fragment A on Query { ... on Query { ...A } }',
  ]) {
    assert.notDeepEqual(validate(schema, parse(query)), [], 'validation refuses it first');
    const a = analyze(query);
    assert.ok(a.visited <= selectionsIn(parse(query)), query);
    assert.equal(a.fragmentSpreads, SATURATED, query);
    assert.equal(refusal(a)?.code, 'QUERY_TOO_COMPLEX', query);
  }
});

test('ordinary fragments pass: the introspection query and a query at the spread cap', () => {
  const intro = analyze(getIntrospectionQuery({ descriptions: true }));
  assert.ok(intro.fragmentSpreads > 0 && intro.fragmentSpreads < 20);
  assert.equal(refusal(intro), undefined);

  const flat = (n: number) =>
    `{ ${Array.from({ length: n }, () => '...D').join(' ')} } fragment D on Query { escoDataset { version } }`;
  assert.equal(refusal(analyze(flat(MAX_FRAGMENT_SPREADS))), undefined);
  assert.deepEqual(refusal(analyze(flat(MAX_FRAGMENT_SPREADS + 1))), {
    code: 'QUERY_TOO_COMPLEX',
    limit: 'maxFragmentSpreads',
  });
});
