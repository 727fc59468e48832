/**
 * Rankings as Relay connections with cursors bound to the ranking (#16 items 2 and 6), through
 * the real API, Neo4j and models: `first` / `after`, edges with cursors, `nodes`, `pageInfo`,
 * the deprecated `k` / `items` kept as aliases; pages of one ranking neither repeat nor skip
 * anyone; a cursor of a list, of another ranking or of a ranking computed before a write is
 * BAD_USER_INPUT; concurrent identical rankings (cross-encoder on) give one order.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { errorCodes, gql, type GraphQLResponse } from '../support/graphqlClient.js';
import { escoUri, silentLog, testConfig } from '../support/testEnv.js';

let app: App;
let vacancies: string[] = [];

type Page = {
  rankCandidates: {
    totalCount: number;
    edges: Array<{ cursor: string; node: { rank: number; candidate: { id: string } } }>;
    nodes: Array<{ rank: number; candidate: { id: string } }>;
    items: Array<{ rank: number; candidate: { id: string } }>;
    pageInfo: {
      startCursor: string | null;
      endCursor: string | null;
      hasNextPage: boolean;
      hasPreviousPage: boolean;
    };
    meta: { rankingId: string; cached: boolean; reranked: number };
  } | null;
};

const PAGE = `query($v: ID!, $first: Int, $k: Int, $after: String, $o: RankingOptions) {
  rankCandidates(vacancyId: $v, first: $first, k: $k, after: $after, options: $o) {
    totalCount
    edges { cursor node { rank candidate { id } } }
    nodes { rank candidate { id } }
    items { rank candidate { id } }
    pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
    meta { rankingId cached reranked } } }`;

const NO_CE = { useReranker: false };

function page(variables: Record<string, unknown>): Promise<GraphQLResponse<Page>> {
  return gql<Page>(app.url, PAGE, variables);
}

async function ok(variables: Record<string, unknown>): Promise<NonNullable<Page['rankCandidates']>> {
  const res = await page(variables);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  assert.ok(res.data?.rankCandidates);
  return res.data.rankCandidates;
}

const ids = (p: NonNullable<Page['rankCandidates']>) => p.nodes.map((n) => n.candidate.id);

beforeAll(async () => {
  app = await startApp(
    testConfig(escoUri(), {
      RANKING_CACHE_TTL_MS: '0',
      MAX_IN_FLIGHT_PER_CALLER: '50',
      RERANKER_MAX_WAITING: '50',
    }),
    silentLog,
  );
  const res = await gql<{ vacancies: { nodes: Array<{ id: string }> } }>(
    app.url,
    '{ vacancies(first: 3, filter: { status: OPEN }) { nodes { id } } }',
  );
  vacancies = res.data?.vacancies.nodes.map((n) => n.id) ?? [];
  assert.equal(vacancies.length, 3, 'the test store holds open vacancies');
}, 600_000);
afterAll(() => app?.stop());

test('a ranking is a Relay connection; k and items are deprecated aliases of first and nodes', async () => {
  const v = vacancies[0];
  const relay = await ok({ v, first: 5, o: NO_CE });
  assert.equal(relay.nodes.length, 5);
  assert.deepEqual(
    relay.edges.map((e) => e.node),
    relay.nodes,
  );
  assert.deepEqual(relay.items, relay.nodes);
  assert.deepEqual(
    relay.nodes.map((n) => n.rank),
    [1, 2, 3, 4, 5],
  );
  assert.equal(relay.pageInfo.startCursor, relay.edges[0]?.cursor);
  assert.equal(relay.pageInfo.endCursor, relay.edges[4]?.cursor);
  assert.equal(relay.pageInfo.hasPreviousPage, false);
  assert.equal(new Set(relay.edges.map((e) => e.cursor)).size, 5, 'one cursor per place');
  const legacy = await ok({ v, k: 5, o: NO_CE });
  assert.deepEqual(legacy.nodes, relay.nodes);
  assert.equal(legacy.meta.rankingId, relay.meta.rankingId, 'k and first name one ranking');
  assert.equal((await ok({ v, o: NO_CE })).nodes.length, 20, 'first defaults to 20');
  // Both given and different: which was meant cannot be told.
  const both = await page({ v, first: 5, k: 6, o: NO_CE });
  assert.deepEqual(errorCodes(both), ['BAD_USER_INPUT']);
  assert.equal(both.errors?.[0]?.extensions?.details?.['argument'], 'k');
  assert.deepEqual(both.errors?.[0]?.path, ['rankCandidates']);
  // Introspection says so to integration partners.
  const schema = await gql<{
    __type: {
      fields: Array<{
        name: string;
        isDeprecated: boolean;
        args: Array<{ name: string; isDeprecated: boolean }>;
      }>;
    };
  }>(
    app.url,
    '{ __type(name: "Query") { fields { name args(includeDeprecated: true) { name isDeprecated } isDeprecated } } }',
  );
  const field = schema.data?.__type.fields.find((f) => f.name === 'rankCandidates');
  assert.deepEqual(
    field?.args.filter((a) => a.isDeprecated).map((a) => a.name),
    ['k'],
  );
  const type = await gql<{ __type: { fields: Array<{ name: string; isDeprecated: boolean }> } }>(
    app.url,
    '{ __type(name: "CandidateRanking") { fields(includeDeprecated: true) { name isDeprecated } } }',
  );
  assert.deepEqual(
    type.data?.__type.fields.filter((f) => f.isDeprecated).map((f) => f.name),
    ['items'],
  );
});

test('pages through endCursor or any edge cursor neither repeat nor skip anyone', async () => {
  const v = vacancies[1];
  const whole = await ok({ v, first: 21 });
  const seen: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 3; i += 1) {
    const p = await ok({ v, first: 7, after });
    assert.equal(p.meta.rankingId, whole.meta.rankingId, 'every page is of the one ranking');
    assert.equal(p.pageInfo.hasPreviousPage, i > 0);
    assert.deepEqual(
      p.nodes.map((n) => n.rank),
      Array.from({ length: 7 }, (_, j) => 7 * i + j + 1),
    );
    seen.push(...ids(p));
    after = p.pageInfo.endCursor;
  }
  assert.deepEqual(seen, ids(whole), 'three pages of 7 are the top 21');
  // An edge cursor continues right after its edge.
  const fromEdge = await ok({ v, first: 3, after: whole.edges[9]!.cursor });
  assert.deepEqual(ids(fromEdge), ids(whole).slice(10, 13));
});

test('a cursor of a list, another ranking or from before a write is BAD_USER_INPUT with a path', async () => {
  const [v, other] = vacancies;
  const base = await ok({ v, first: 3, o: NO_CE });
  const cursor = base.pageInfo.endCursor!;
  const refused = async (variables: Record<string, unknown>, pattern: RegExp) => {
    const res = await page(variables);
    assert.equal(res.status, 200, 'a field error: the rest of the query answers');
    assert.deepEqual(errorCodes(res), ['BAD_USER_INPUT'], JSON.stringify(res.errors));
    assert.deepEqual(res.errors?.[0]?.path, ['rankCandidates']);
    assert.equal(res.errors?.[0]?.extensions?.details?.['argument'], 'after');
    assert.match(res.errors?.[0]?.message ?? '', pattern);
    assert.equal(res.data?.rankCandidates, null);
  };
  // The probe's case: a `vacancies` cursor handed to rankCandidates.
  const list = await gql<{ vacancies: { pageInfo: { endCursor: string } } }>(
    app.url,
    '{ vacancies(first: 2) { pageInfo { endCursor } } }',
  );
  await refused(
    { v, first: 3, after: list.data?.vacancies.pageInfo.endCursor, o: NO_CE },
    /not a ranking cursor/,
  );
  await refused({ v: other, first: 3, after: cursor, o: NO_CE }, /another ranking/);
  await refused(
    { v, first: 3, after: cursor, o: { ...NO_CE, weights: { regionMatch: 0.9 } } },
    /another ranking/,
  );
  await refused({ v, first: 3, after: cursor, o: { useReranker: true } }, /another ranking/);
  // A rankVacancies cursor is not one of rankCandidates.
  const candidate = base.nodes[0]!.candidate.id;
  const theirs = await gql<{ rankVacancies: { pageInfo: { endCursor: string } } }>(
    app.url,
    'query($c: ID!) { rankVacancies(candidateId: $c, first: 2, options: { useReranker: false }) { pageInfo { endCursor } } }',
    { c: candidate },
  );
  await refused(
    { v, first: 3, after: theirs.data?.rankVacancies.pageInfo.endCursor, o: NO_CE },
    /another ranking/,
  );
  // Still valid now; stale after a write that changes ranking inputs.
  assert.deepEqual(errorCodes(await page({ v, first: 3, after: cursor, o: NO_CE })), []);
  // (The API has no vacancy deletion: the same CLOSED, skill-less vacancy is upserted each run.)
  const write = await gql(app.url, 'mutation($i: VacancyInput!) { upsertVacancy(input: $i) { id } }', {
    i: { id: 'e2e-pages-write', title: 'Cursor test vacancy', status: 'CLOSED', skills: [] },
  });
  assert.equal(write.errors, undefined, JSON.stringify(write.errors));
  await refused({ v, first: 3, after: cursor, o: NO_CE }, /computed before the data/);
  const again = await ok({ v, first: 3, o: NO_CE });
  assert.notEqual(again.meta.rankingId, base.meta.rankingId, 'a new ranking id after the write');
});

test('concurrent identical rankings with the cross-encoder give one order and one ranking id', async () => {
  const v = vacancies[2];
  const CE = { useReranker: true };
  const alone = await ok({ v, first: 20, o: CE });
  assert.ok(alone.meta.reranked > 0, 'precondition: the cross-encoder ran');
  const started = Date.now();
  const answers = await Promise.all(Array.from({ length: 6 }, () => page({ v, first: 20, o: CE })));
  process.stderr.write(
    `6 concurrent identical rankings (cross-encoder on, no cache): ${Date.now() - started} ms\n`,
  );
  for (const answer of answers) {
    // Refusing is allowed (SERVICE_OVERLOADED, visible); a different order never is.
    const codes = errorCodes(answer);
    if (codes.length > 0) {
      assert.deepEqual(codes, ['SERVICE_OVERLOADED']);
      continue;
    }
    const r = answer.data!.rankCandidates!;
    assert.equal(r.meta.cached, false, 'each was computed (cache off)');
    assert.equal(r.meta.reranked, alone.meta.reranked, 'none skipped the cross-encoder');
    assert.deepEqual(ids(r), ids(alone));
    assert.equal(r.meta.rankingId, alone.meta.rankingId);
  }
  assert.ok(
    answers.some((a) => errorCodes(a).length === 0),
    'at least one concurrent ranking was answered',
  );
});

test('server-timing says where the time went: GraphQL phases, the ranking, and resolving the rest', async () => {
  const res = await page({ v: vacancies[0], first: 20, o: NO_CE });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const header = res.headers?.get('server-timing') ?? '';
  const dur = new Map(
    header.split(', ').map((part) => {
      const [name, value] = part.split(';dur=');
      return [name ?? '', Number(value)] as const;
    }),
  );
  process.stderr.write(`server-timing of a ranking of 20: ${header}\n`);
  // (parse and validate appear only when Apollo did not have the document cached already.)
  for (const name of ['execute', 'ranking', 'resolve', 'graphql'])
    assert.ok(Number.isFinite(dur.get(name)), `${name} in ${header}`);
  assert.ok(dur.get('execute')! >= dur.get('ranking')!, 'the ranking runs inside execution');
  assert.ok(Math.abs(dur.get('execute')! - dur.get('ranking')! - dur.get('resolve')!) <= 0.15);
  assert.ok(dur.get('graphql')! >= dur.get('execute')!);
  // A taxonomy read runs no service: no ranking or resolve part.
  const plain = await gql(app.url, '{ occupation(code: "2511.4") { preferredLabel } }');
  assert.doesNotMatch(plain.headers?.get('server-timing') ?? '', /ranking|resolve/);
  assert.match(plain.headers?.get('server-timing') ?? '', /execute;dur=/);
});
