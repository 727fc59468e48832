/**
 * The bad-input corpus: Cypher-injection strings in every string argument (and every string
 * field of every input object) of every root field, huge strings, invalid Unicode, wrong types,
 * unknown enum values, deep and wide queries, alias bombs and malformed import files. Each gets
 * a clear error with a known code (or, for a read, a harmless answer), the graph snapshot is
 * identical before and after, and the server keeps serving.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import {
  buildASTSchema,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  parse,
  type GraphQLInputType,
} from 'graphql';
import { startApp, type App } from '../../src/app.js';
import type { Neo4jGateway } from '../../src/graph/gateway.js';
import { ConceptResolver } from '../../src/graph/people/conceptResolver.js';
import { PeopleRepository } from '../../src/graph/people/peopleRepository.js';
import { SCHEMA_FILE } from '../../src/http/graphqlServer.js';
import { importEsco } from '../../src/import/esco/importEsco.js';
import { importPeople, readPeopleFiles } from '../../src/import/people/importPeople.js';
import { errorCodes, gql, postRaw } from '../support/graphqlClient.js';
import { graphSnapshot, type GraphSnapshot } from '../support/snapshot.js';
import { createTestGateway, FIXTURES, scratchUri, silentLog, testConfig } from '../support/testEnv.js';

const schema = buildASTSchema(parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
const KNOWN_REFUSALS = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'TOO_MANY_ALIASES',
  'QUERY_TOO_LARGE',
  'PAYLOAD_TOO_LARGE',
  'BATCH_TOO_LARGE',
]);

const INJECTIONS = [
  "' OR 1=1 //",
  '"}) MATCH (n) DETACH DELETE n //',
  "x') WITH 1 AS a MATCH (n) DETACH DELETE n RETURN 1 //",
  '`; CALL dbms.killQueries([]) //',
  '$keys} ]->(n) DELETE n',
  '\\u0027 RETURN 1 UNION MATCH (c:Candidate) RETURN c.displayName //',
  '*:*~ AND NOT title:(x) OR "',
  '\u0000\u0001 nul and control characters',
  'Zoë 🧪 مرحبا \u202Eright-to-left',
];

let app: App;
let gateway: Neo4jGateway;
let initial: GraphSnapshot;

beforeAll(async () => {
  gateway = createTestGateway(scratchUri());
  await gateway.runAutoCommit('admin/wipe');
  await importEsco(gateway, {
    sources: [path.join(FIXTURES, 'esco-mini')],
    batchSize: 100,
    version: 'fixture',
  });
  app = await startApp(
    testConfig(scratchUri(), { DEMO_AUTOLOAD: 'false', RERANKER_ENABLED: 'false' }),
    silentLog,
  );
  // A little people data, so reads and mutations have something to refuse to touch.
  const seed = await gql(
    app.url,
    `mutation {
    v: upsertVacancy(input: { id: "vac-a", title: "Data scientist", organization: { id: "org-a", name: "Acme" }, occupation: { code: "2511.4" }, skills: [{ label: "Python", relation: ESSENTIAL }] }) { id }
    c: upsertCandidate(input: { id: "cand-a", displayName: "Ada", skills: [{ label: "SQL" }], sensitive: { gender: FEMALE } }) { id } }`,
  );
  assert.equal(seed.errors, undefined, JSON.stringify(seed.errors));
  await gql(app.url, 'mutation { recordApplication(candidateId: "cand-a", vacancyId: "vac-a") { status } }');
  initial = await graphSnapshot(gateway);
});
afterAll(async () => {
  await app.stop();
  await gateway.close();
});

/** A minimal valid value for an input type (required fields only). */
function sample(type: GraphQLInputType): unknown {
  const t = getNullableType(type);
  if (isListType(t)) return [sample(t.ofType)];
  if (isEnumType(t)) return t.getValues()[0]?.value;
  if (isInputObjectType(t)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(t.getFields()))
      if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = sample(f.type);
    if (t.name === 'GapTargetInput') out.vacancyId = 'vac-a';
    if (
      t.name === 'CandidateSkillInput' ||
      t.name === 'CandidateOccupationInput' ||
      t.name === 'VacancySkillInput'
    )
      out.label = 'SQL';
    if (t.name === 'CandidateSkillInput') delete out.uri;
    return out;
  }
  switch (isScalarType(t) ? t.name : '') {
    case 'Int':
      return 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'DateTime':
      return '2024-01-01T00:00:00.000Z';
    default:
      return 'x';
  }
}

/** Every path to a String/ID position inside an argument value (input objects one level of lists deep). */
function stringPaths(type: GraphQLInputType, prefix: string[], depth = 0): string[][] {
  const t = getNullableType(type);
  if (isListType(t)) return stringPaths(t.ofType, [...prefix, '0'], depth);
  if (isScalarType(t)) return ['String', 'ID', 'DateTime'].includes(t.name) ? [prefix] : [];
  if (isInputObjectType(t) && depth < 3)
    return Object.values(t.getFields()).flatMap((f) => stringPaths(f.type, [...prefix, f.name], depth + 1));
  return [];
}

function setPath(
  root: Record<string, unknown>,
  p: string[],
  value: unknown,
  typeAt: (p: string[]) => GraphQLInputType,
): void {
  let cur: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < p.length - 1; i += 1) {
    const key = p[i] as string;
    const next = cur[key];
    if (next === undefined || next === null) cur[key] = sample(typeAt(p.slice(0, i + 1)));
    cur = cur[key] as Record<string, unknown>;
  }
  cur[p[p.length - 1] as string] = value;
}

interface Case {
  readonly label: string;
  readonly query: string;
  readonly variables: Record<string, unknown>;
  readonly mutation: string | null;
}

function corpus(value: string): Case[] {
  const cases: Case[] = [];
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      const decls = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
      const uses = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const query = `${root.name === 'Mutation' ? 'mutation' : 'query'}${decls ? `(${decls})` : ''} { ${field.name}${uses ? `(${uses})` : ''} { __typename } }`;
      const base: Record<string, unknown> = {};
      for (const a of field.args) if (isNonNullType(a.type)) base[a.name] = sample(a.type);
      for (const a of field.args) {
        for (const p of stringPaths(a.type, [a.name])) {
          const variables = structuredClone(base);
          const typeAt = (sub: string[]): GraphQLInputType => {
            let t: GraphQLInputType = a.type;
            for (const key of sub.slice(1)) {
              const n = getNullableType(t);
              if (isListType(n)) t = n.ofType;
              else if (isInputObjectType(n)) t = n.getFields()[key]?.type ?? t;
            }
            return t;
          };
          setPath(variables, p, value, typeAt);
          // A vacancy upsert is always refused (an unknown skill), so the graph stays as it was.
          if (field.name === 'upsertVacancy') {
            const input = variables.input as Record<string, unknown>;
            if (!p.includes('skills')) input.skills = [{ label: 'no such skill zz', relation: 'ESSENTIAL' }];
          }
          cases.push({
            label: `${root.name}.${field.name}(${p.join('.')})`,
            query,
            variables,
            mutation: root.name === 'Mutation' ? field.name : null,
          });
        }
      }
    }
  }
  return cases;
}

async function cleanUp(): Promise<void> {
  // Accepted candidate upserts (hostile text is valid text) are erased again.
  const res = await gql<{ candidates: { nodes: Array<{ id: string }> } }>(
    app.url,
    '{ candidates(first: 100) { nodes { id } } }',
  );
  for (const c of res.data?.candidates.nodes ?? []) {
    if (c.id !== 'cand-a')
      await gql(app.url, 'mutation($id: ID!) { deleteCandidate(id: $id) { deleted } }', { id: c.id });
  }
}

test('Cypher-injection strings in every string argument: known codes or harmless answers, nothing changed', async () => {
  let count = 0;
  const unexpected: string[] = [];
  for (const value of INJECTIONS) {
    for (const c of corpus(value)) {
      count += 1;
      const res = await gql(app.url, c.query, c.variables);
      const codes = errorCodes(res);
      if (codes.some((code) => !KNOWN_REFUSALS.has(code)) || res.status >= 500)
        unexpected.push(`${c.label} → ${res.status} ${codes.join(',')} ${res.errors?.[0]?.message ?? ''}`);
      if (c.mutation === 'upsertCandidate' && codes.length === 0) {
        // Accepted: the text is stored exactly as sent (values travel as parameters).
        const input = c.variables.input as { id: string; displayName: string };
        const back = await gql<{ candidate: { displayName: string } }>(
          app.url,
          'query($id: ID!) { candidate(id: $id) { displayName } }',
          { id: input.id },
        );
        assert.equal(back.data?.candidate.displayName, input.displayName, c.label);
      }
    }
    await cleanUp();
  }
  process.stderr.write(`[badInput] ${count} hostile requests\n`);
  assert.deepEqual(unexpected, []);
  assert.ok(count > 200);
  assert.deepEqual(await graphSnapshot(gateway), initial, 'the graph is exactly as before');
});

test('huge strings, invalid Unicode, wrong types and unknown enum values get clear errors', async () => {
  const cases: Array<[string, string | Buffer, string]> = [
    [
      '1 MB string',
      JSON.stringify({
        query: 'query($t: String!) { search(text: $t) { score } }',
        variables: { t: 'x'.repeat(1_048_576) },
      }),
      'PAYLOAD_TOO_LARGE',
    ],
    [
      '900 KB name',
      JSON.stringify({
        query: 'mutation($i: CandidateInput!) { upsertCandidate(input: $i) { id } }',
        variables: { i: { id: 'c-big', displayName: 'x'.repeat(900_000) } },
      }),
      'BAD_USER_INPUT',
    ],
    [
      'lone surrogate',
      '{"query":"query($t: String!) { search(text: $t) { score } }","variables":{"t":"abc\\ud800def"}}',
      'BAD_USER_INPUT',
    ],
    [
      'lone surrogate in a mutation',
      '{"query":"mutation($i: CandidateInput!) { upsertCandidate(input: $i) { id } }","variables":{"i":{"id":"c-u","displayName":"\\udc00"}}}',
      'BAD_USER_INPUT',
    ],
    [
      'invalid UTF-8 bytes',
      Buffer.concat([
        Buffer.from('{"query":"{ search(text: \\"'),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from('\\") { score } }"}'),
      ]),
      'BAD_USER_INPUT',
    ],
    [
      'string for an Int',
      JSON.stringify({
        query: 'query($n: Int) { occupations(first: $n) { totalCount } }',
        variables: { n: 'ten' },
      }),
      'BAD_USER_INPUT',
    ],
    [
      'object for an ID',
      JSON.stringify({
        query: 'query($id: ID!) { candidate(id: $id) { id } }',
        variables: { id: { $ne: null } },
      }),
      'BAD_USER_INPUT',
    ],
    [
      'float for an Int literal',
      JSON.stringify({ query: '{ occupations(first: 1.5) { totalCount } }' }),
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'unknown enum literal',
      JSON.stringify({ query: '{ occupations(lang: KLINGON) { totalCount } }' }),
      'GRAPHQL_VALIDATION_FAILED',
    ],
    [
      'unknown enum variable',
      JSON.stringify({
        query:
          'query($s: ApplicationStatus!) { updateApplicationStatus(candidateId: "cand-a", vacancyId: "vac-a", status: $s) { status } }'.replace(
            'query',
            'mutation',
          ),
        variables: { s: 'PROMOTED' },
      }),
      'BAD_USER_INPUT',
    ],
    [
      'negative page',
      JSON.stringify({ query: '{ occupations(first: -5) { totalCount } }' }),
      'BAD_USER_INPUT',
    ],
    ['not JSON', 'query { occupations { totalCount } }', 'BAD_REQUEST'],
    [
      'deep query',
      JSON.stringify({ query: `{ skill(uri: "x") { ${'broader { '.repeat(30)}uri${' }'.repeat(30)} } }` }),
      'QUERY_TOO_DEEP',
    ],
    [
      'wide query',
      JSON.stringify({
        query:
          '{ occupations(first: 100) { nodes { essentialSkills(first: 100) { nodes { requiredBy(first: 100) { nodes { uri } } } } } } }',
      }),
      'QUERY_TOO_COMPLEX',
    ],
    [
      'alias bomb',
      JSON.stringify({
        query: `{ ${Array.from({ length: 100 }, (_, i) => `a${i}: candidate(id: "cand-a") { id }`).join(' ')} }`,
      }),
      'TOO_MANY_ALIASES',
    ],
    [
      'alias bomb in a mutation',
      JSON.stringify({
        query: `mutation { ${Array.from({ length: 100 }, (_, i) => `d${i}: deleteCandidate(id: "cand-a") { deleted }`).join(' ')} }`,
      }),
      'TOO_MANY_ALIASES',
    ],
    [
      'fragment bomb',
      JSON.stringify({
        query: `query { ...A } fragment A on Query { ${Array.from({ length: 20 }, (_, i) => `x${i}: escoDataset { version }`).join(' ')} ...B } fragment B on Query { ${Array.from({ length: 20 }, (_, i) => `y${i}: escoDataset { version }`).join(' ')} }`,
      }),
      'TOO_MANY_ALIASES',
    ],
  ];
  for (const [label, body, code] of cases) {
    const res = await postRaw(app.url, body);
    assert.deepEqual(errorCodes(res), [code], `${label}: ${JSON.stringify(res.raw).slice(0, 300)}`);
    assert.ok((res.errors?.[0]?.message ?? '').length > 0, `${label}: a message says what is wrong`);
  }
  assert.deepEqual(await graphSnapshot(gateway), initial);
  assert.equal((await gql(app.url, '{ escoDataset { version } }')).errors, undefined, 'still serving');
});

test('malformed import files: every bad row is reported with its line and reason, nothing is written', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'talentgraph-bad-import-'));
  try {
    const jsonl = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(
      jsonl,
      [
        '{"type":"candidate","id":"ok-shape","displayName":"A","skills":[{"label":"no such skill"}]}',
        '{"type":"candidate","id":"x\') DETACH DELETE n //","displayName":"B"}',
        '{"type":"candidate","id":"c-1","displayName":42}',
        '{"type":"alien","id":"z"}',
        '{"type":"vacancy","id":"v-1","title":"T","status":"MAYBE"}',
        '{"type":"application","candidateId":"nobody","vacancyId":"vac-a"}',
        '{"type":"candidate", broken json',
        '\u0000\u0001\u0002 binary noise',
        '[1,2,3]',
        '"just a string"',
      ].join('\n'),
    );
    const report = await importPeople(
      gateway,
      new PeopleRepository(gateway),
      new ConceptResolver(gateway),
      readPeopleFiles([jsonl]),
      { batchSize: 10 },
    );
    assert.equal(
      report.written.candidates + report.written.vacancies + report.written.applications,
      0,
      JSON.stringify(report.written),
    );
    assert.ok(report.rejectedCount >= 10, `rejected ${report.rejectedCount}`);
    for (const issue of report.issues) {
      assert.ok(issue.line >= 1 && issue.reason.length > 0, JSON.stringify(issue));
    }
    assert.deepEqual(await graphSnapshot(gateway), initial);
    // A CSV file that cannot be parsed at all stops the import with an error naming the line.
    const csv = path.join(dir, 'bad.csv');
    fs.writeFileSync(csv, 'type,id,displayName\ncandidate,"unterminated,Name\nvacancy,v-2\n');
    await assert.rejects(
      importPeople(
        gateway,
        new PeopleRepository(gateway),
        new ConceptResolver(gateway),
        readPeopleFiles([csv]),
        { batchSize: 10 },
      ),
      (e: unknown) => e instanceof Error && /line \d+/.test(e.message),
    );
    assert.deepEqual(await graphSnapshot(gateway), initial);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
