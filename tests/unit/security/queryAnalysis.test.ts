import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'vitest';
import { buildASTSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { LimitError } from '../../../src/errors.js';
import { SCHEMA_FILE } from '../../../src/http/graphqlServer.js';
import { analyzeOperation, checkLimits, type QueryLimits } from '../../../src/security/queryAnalysis.js';

const schema = buildASTSchema(parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
const LIMITS: QueryLimits = { maxDepth: 12, maxCost: 20_000, maxAliases: 30, maxPageSize: 100 };

function analyze(query: string, variables: Record<string, unknown> = {}) {
  const doc = parse(query);
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  return analyzeOperation(schema, doc, op, variables);
}

function refusal(
  query: string,
  variables: Record<string, unknown> = {},
): { code: string; details: Record<string, unknown> } | undefined {
  try {
    checkLimits(analyze(query, variables), LIMITS);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof LimitError);
    return { code: error.code, details: { ...error.details } };
  }
}

test('depth counts nested fields through fragments and ignores __typename', () => {
  const a = analyze(
    'query { occupation(code: "1") { ...F } } fragment F on Occupation { broader { broader { uri __typename } } }',
  );
  assert.equal(a.depth, 4);
  assert.deepEqual([...a.coordinates].sort(), ['Occupation.broader', 'Occupation.uri', 'Query.occupation']);
});

test('cost multiplies by page sizes (from variables or schema defaults) and by a factor for plain lists', () => {
  const one = analyze(
    '{ occupation(code: "1") { essentialSkills(first: 10) { nodes { broader { uri } } } } }',
  );
  // occupation 1 + essentialSkills (1 + 10 × (nodes 1 + broader (1 + 10 × 0)))
  assert.equal(one.cost, 1 + 1 + 10 * (1 + 1));
  const viaVariable = analyze('query($n: Int) { occupations(first: $n) { nodes { iscoGroup { code } } } }', {
    n: 40,
  });
  assert.equal(viaVariable.largestPage?.value, 40);
  const byDefault = analyze('{ occupation(code: "1") { essentialSkills { totalCount } } }');
  assert.equal(byDefault.largestPage?.value, 100, 'the schema default counts when the argument is omitted');
  const ranking = analyze('{ rankCandidates(vacancyId: "v", k: 20) { items { candidate { id } } } }');
  assert.ok(ranking.cost >= 100, 'expensive root fields carry a base cost');
});

test('each limit refuses with its own code and names the limit and setting', () => {
  let deep = '{ occupation(code: "1") { uri } }';
  for (let i = 0; i < 15; i += 1) deep = deep.replace('{ uri }', '{ broader { uri } }');
  assert.deepEqual(refusal(deep), {
    code: 'QUERY_TOO_DEEP',
    details: { limit: 'maxDepth', setting: 'MAX_QUERY_DEPTH', max: 12, actual: 17 },
  });

  const aliases = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: escoDataset { version }`).join(' ')} }`;
  assert.equal(refusal(aliases)?.code, 'TOO_MANY_ALIASES');
  assert.equal(refusal(aliases)?.details.actual, 31);

  // A page size is an argument bound of its field (a field error), not a limit of the request.
  assert.equal(
    refusal('query($k: Int) { rankCandidates(vacancyId: "v", k: $k) { totalCount } }', { k: 5000 }),
    undefined,
  );

  const wide =
    '{ occupations(first: 100) { nodes { essentialSkills(first: 100) { nodes { requiredBy(first: 100) { totalCount } } } } } }';
  assert.equal(refusal(wide)?.code, 'QUERY_TOO_COMPLEX');
  assert.equal(refusal(wide)?.details.setting, 'MAX_QUERY_COST');
});

test('ordinary queries and the standard introspection query pass', async () => {
  const { getIntrospectionQuery } = await import('graphql');
  assert.equal(refusal(getIntrospectionQuery({ descriptions: true })), undefined);
  assert.ok(analyze(getIntrospectionQuery()).introspection);
  assert.equal(
    refusal(
      '{ occupations(first: 50) { nodes { preferredLabel essentialSkills(first: 3) { nodes { skillGroups { uri } } } } } }',
    ),
    undefined,
  );
  assert.equal(
    refusal(
      '{ rankCandidates(vacancyId: "v", k: 100) { items { candidate { id skills { skill { uri } } } matchedSkills { uri } } } }',
    ),
    undefined,
  );
});

test('fragment spreads are expanded each time they are used (alias bombs through fragments)', () => {
  const frag = `fragment F on Query { ${Array.from({ length: 8 }, (_, i) => `x${i}: escoDataset { version }`).join(' ')} }`;
  const a = analyze(`{ ...F ... on Query { ...F } q: escoDataset { version } } ${frag}`);
  assert.equal(a.aliases, 17);
});
