/**
 * The taxonomy API over HTTP, started exactly as `npm start` starts it, against the ESCO test
 * database: answers, error codes, introspection descriptions, the offline landing page, and
 * bounded database round trips for relationship fields (no N+1).
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import {
  getIntrospectionQuery,
  buildClientSchema,
  isObjectType,
  isInterfaceType,
  isEnumType,
  isInputObjectType,
  type IntrospectionQuery,
} from 'graphql';
import { startApp, type App } from '../../src/app.js';
import { errorCodes, gql } from '../support/graphqlClient.js';
import { escoUri, silentLog, testConfig } from '../support/testEnv.js';

let app: App;
beforeAll(async () => {
  app = await startApp(testConfig(escoUri()), silentLog);
});
afterAll(() => app.stop());

test('data scientist (2511.4) has 54 essential skills', async () => {
  const res = await gql<{ occupation: { preferredLabel: string; essentialSkills: { totalCount: number } } }>(
    app.url,
    '{ occupation(code: "2511.4") { preferredLabel essentialSkills { totalCount } } }',
  );
  assert.equal(res.errors, undefined);
  assert.equal(res.data?.occupation.preferredLabel, 'data scientist');
  assert.equal(res.data?.occupation.essentialSkills.totalCount, 54);
});

test('relationship fields, language fallback and paging', async () => {
  const res = await gql<{
    occupation: {
      uri: string;
      fr: string;
      iscoGroup: { code: string; broader: { code: string } };
      optionalSkills: {
        totalCount: number;
        nodes: Array<{ preferredLabel: string }>;
        pageInfo: { endCursor: string; hasNextPage: boolean };
      };
    };
  }>(
    app.url,
    `{ occupation(code: "2511.4") { uri fr: preferredLabel(lang: FR)
        iscoGroup { code broader { code } }
        optionalSkills(first: 5) { totalCount nodes { preferredLabel } pageInfo { endCursor hasNextPage } } } }`,
  );
  const o = res.data?.occupation;
  assert.ok(o);
  assert.equal(o.fr, 'scientifique des données');
  assert.equal(o.iscoGroup.code, '2511');
  assert.equal(o.iscoGroup.broader.code, '251');
  assert.equal(o.optionalSkills.nodes.length, 5);
  assert.equal(o.optionalSkills.pageInfo.hasNextPage, true);
  const labels = o.optionalSkills.nodes.map((n) => n.preferredLabel);
  assert.deepEqual(
    labels,
    [...labels].sort((a, b) => a.localeCompare(b)),
  );

  const next = await gql<{ occupation: { optionalSkills: { nodes: Array<{ preferredLabel: string }> } } }>(
    app.url,
    'query($uri: ID!, $after: String) { occupation(uri: $uri) { optionalSkills(first: 5, after: $after) { nodes { preferredLabel } } } }',
    { uri: o.uri, after: o.optionalSkills.pageInfo.endCursor },
  );
  const nextLabels = next.data?.occupation.optionalSkills.nodes.map((n) => n.preferredLabel) ?? [];
  assert.equal(nextLabels.length, 5);
  assert.ok(!nextLabels.some((l) => labels.includes(l)), 'the next page continues after the first');
});

test('skills: hierarchy, related skills and the occupations requiring them', async () => {
  const res = await gql<{
    skills: {
      totalCount: number;
      edges: Array<{
        score: number;
        node: { uri: string; preferredLabel: string; requiredBy: { totalCount: number } };
      }>;
    };
  }>(
    app.url,
    '{ skills(search: "Python", first: 3) { totalCount edges { score node { uri preferredLabel skillGroups { uri } broader { uri } relatedSkills { relation } requiredBy(relation: ESSENTIAL) { totalCount } } } } }',
  );
  assert.equal(res.errors, undefined);
  const top = res.data?.skills.edges[0];
  assert.equal(top?.node.preferredLabel, 'Python (computer programming)');
  assert.ok((top?.score ?? 0) > 0);
  assert.ok((res.data?.skills.totalCount ?? 0) >= 1);
});

test('taxonomy-wide search across types and languages', async () => {
  const res = await gql<{
    search: Array<{ type: string; lang: string; concept: { preferredLabel: string } }>;
  }>(
    app.url,
    '{ search(text: "développeur web", lang: FR, types: [OCCUPATION], first: 3) { type lang concept { preferredLabel(lang: FR) } } }',
  );
  assert.equal(res.errors, undefined);
  assert.equal(res.data?.search[0]?.type, 'OCCUPATION');
  assert.equal(res.data?.search[0]?.lang, 'FR');
  assert.match(res.data?.search[0]?.concept.preferredLabel ?? '', /développeur web/);

  const lucene = await gql<{ search: unknown[] }>(
    app.url,
    '{ search(text: "C++ (AND) title:x ~*", first: 3) { score } }',
  );
  assert.equal(lucene.errors, undefined, 'Lucene syntax in user text is treated as plain words');
});

test('occupations list: totalCount, ISCO filter, fulltext', async () => {
  const res = await gql<{
    all: { totalCount: number };
    group: { totalCount: number };
    text: { edges: Array<{ node: { code: string } }> };
  }>(
    app.url,
    '{ all: occupations(first: 1) { totalCount } group: occupations(iscoGroup: "2511") { totalCount } text: occupations(search: "data scientist", first: 1) { edges { node { code } } } }',
  );
  assert.equal(res.data?.all.totalCount, 3007);
  assert.ok((res.data?.group.totalCount ?? 0) > 3);
  assert.equal(res.data?.text.edges[0]?.node.code, '2511.4');
});

test('stable error codes: NOT_FOUND and BAD_USER_INPUT', async () => {
  const cases: Array<[string, string]> = [
    ['{ occupation(code: "9999.9") { uri } }', 'NOT_FOUND'],
    [
      '{ skill(uri: "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000") { uri } }',
      'NOT_FOUND',
    ],
    ['{ iscoGroup(code: "9999") { code } }', 'NOT_FOUND'],
    ['{ skill(uri: "not a uri") { uri } }', 'BAD_USER_INPUT'],
    ['{ occupation(uri: "x", code: "2511.4") { uri } }', 'BAD_USER_INPUT'],
    ['{ occupations(first: 101) { totalCount } }', 'BAD_USER_INPUT'],
    ['{ occupations(first: 0) { totalCount } }', 'BAD_USER_INPUT'],
    ['{ search(text: "   ") { score } }', 'BAD_USER_INPUT'],
    ['{ occupations(after: "garbage") { totalCount } }', 'BAD_USER_INPUT'],
    ['{ occupation(code: "2511.4") { essentialSkills(first: 500) { totalCount } } }', 'BAD_USER_INPUT'],
    ['{ nope }', 'GRAPHQL_VALIDATION_FAILED'],
    ['{ occupations(lang: XX) { totalCount } }', 'GRAPHQL_VALIDATION_FAILED'],
  ];
  for (const [query, code] of cases) {
    const res = await gql(app.url, query);
    assert.deepEqual(errorCodes(res), [code], query);
  }
});

test('introspection: every type, field, argument and enum value has a description', async () => {
  const res = await gql<IntrospectionQuery>(app.url, getIntrospectionQuery({ descriptions: true }));
  assert.ok(res.data);
  const schema = buildClientSchema(res.data);
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name))
      continue;
    if (!type.description) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args)
          if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        if (!field.description) missing.push(`${type.name}.${field.name}`);
    }
    if (isEnumType(type))
      for (const v of type.getValues()) if (!v.description) missing.push(`${type.name}.${v.name}`);
  }
  assert.deepEqual(missing, []);
});

// `/` is the console where it is built (npm start, the browser tier), else the plain query page.
test('the page at / works offline and states the ESCO notice', async () => {
  const res = await fetch(app.url.replace('/graphql', '/'), { headers: { accept: 'text/html' } });
  const html = await res.text();
  assert.equal(res.status, 200);
  assert.match(html, /This service uses the ESCO classification of the European Commission\./);
  assert.ok(!/(src|href)="https?:/.test(html), 'no external scripts or styles');
  const health = await fetch(app.url.replace('/graphql', '/health'));
  assert.equal(health.status, 200);
  const ready = (await (await fetch(app.url.replace('/graphql', '/ready'))).json()) as { status: string };
  assert.equal(ready.status, 'ready');
});

test('relationship fields over 50 occupations use a bounded number of database queries (no N+1)', async () => {
  const query = `{ occupations(first: 50) { nodes { preferredLabel
      iscoGroup { code broader { code } }
      broader { uri } narrower { uri }
      essentialSkills(first: 3) { totalCount nodes { preferredLabel skillGroups { uri } } }
      optionalSkills(first: 3) { totalCount } } } }`;
  const before = app.gateway.statementsRun;
  const res = await gql<{ occupations: { nodes: unknown[] } }>(app.url, query);
  const used = app.gateway.statementsRun - before;
  assert.equal(res.errors, undefined);
  assert.equal(res.data?.occupations.nodes.length, 50);
  // page + count, iscoGroup, its broader, broader, narrower, essential page, skill groups, optional page.
  assert.ok(used <= 10, `expected at most 10 statements, ran ${used}`);
});

test('a labels-only selection reads the summary projection and gives the same concepts; detail fields still come when asked', async () => {
  type Node = {
    uri: string;
    preferredLabel: string;
    altLabels: string[];
    description?: string | null;
    skills: { nodes: Array<{ uri: string; preferredLabel: string; description?: string | null }> };
  };
  type Res = { occupations: { nodes: Node[]; totalCount?: number } };
  const lean = await gql<Res>(
    app.url,
    '{ occupations(first: 20) { nodes { uri preferredLabel altLabels skills: essentialSkills(first: 10) { nodes { uri preferredLabel } } } } }',
  );
  const full = await gql<Res>(
    app.url,
    '{ occupations(first: 20) { totalCount nodes { uri preferredLabel altLabels description skills: essentialSkills(first: 10) { nodes { uri preferredLabel description(lang: FR) } } } } }',
  );
  assert.equal(lean.errors, undefined);
  assert.equal(full.errors, undefined);
  const strip = (n: Node) => ({
    uri: n.uri,
    preferredLabel: n.preferredLabel,
    altLabels: n.altLabels,
    skills: n.skills.nodes.map((s) => [s.uri, s.preferredLabel]),
  });
  assert.deepEqual(lean.data?.occupations.nodes.map(strip), full.data?.occupations.nodes.map(strip));
  const nodes = full.data?.occupations.nodes ?? [];
  assert.ok(
    nodes.every((n) => typeof n.description === 'string' && n.description.length > 0),
    'full selection carries descriptions',
  );
  assert.ok(
    nodes
      .flatMap((n) => n.skills.nodes)
      .some((s) => typeof s.description === 'string' && s.description.length > 0),
    'nested full selection carries descriptions',
  );
  assert.ok((full.data?.occupations.totalCount ?? 0) > 2000, 'totalCount is counted when selected');
});

test('a list of occupations reads the skill pages it selects in the same statement, with the same answer as the per-field read', async () => {
  type Res = {
    occupations: {
      nodes: Array<{ uri: string; a: { totalCount: number; nodes: Array<{ uri: string }> }; b?: unknown }>;
    };
  };
  const before = app.gateway.statementsRun;
  const ahead = await gql<Res>(
    app.url,
    '{ occupations(first: 30) { nodes { uri a: essentialSkills(first: 4, after: "dGcxOjA") { totalCount nodes { uri } } } } }',
  );
  const used = app.gateway.statementsRun - before;
  // Two uses of the field: no look-ahead, the skill pages come from the batched per-field read.
  const perField = await gql<Res>(
    app.url,
    '{ occupations(first: 30) { nodes { uri a: essentialSkills(first: 4, after: "dGcxOjA") { totalCount nodes { uri } } b: essentialSkills(first: 1) { totalCount } } } }',
  );
  assert.equal(ahead.errors, undefined);
  assert.equal(perField.errors, undefined);
  assert.equal(used, 1, 'occupations and their skill pages in one statement (no count asked)');
  const strip = (r: Res | null | undefined) => r?.occupations.nodes.map((n) => ({ uri: n.uri, a: n.a }));
  assert.deepEqual(strip(ahead.data), strip(perField.data));
  assert.ok((ahead.data?.occupations.nodes ?? []).some((n) => n.a.nodes.length === 4 && n.a.totalCount > 5));
});

test('oversized request bodies are refused before parsing', async () => {
  const res = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: `{ search(text: "${'x'.repeat(2_000_000)}") { score } }` }),
  });
  assert.equal(res.status, 413);
});
