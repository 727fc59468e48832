/**
 * A cached ranking never outlives a write by another process (#18 item 5): two apps on one
 * database stand for two processes (an API and an import, or two replicas); each has its own
 * ranking cache. A write through one makes the other's next identical request compute a new
 * ranking (the data version, `ranking/data-version`), and its old cursors are refused. `reader`
 * reads the version for every request (RANKING_VERSION_MAX_AGE_MS=0): such writes are seen by the
 * very next request; `bounded` runs the default bound, within which they are seen.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import type { Neo4jGateway } from '../../src/graph/gateway.js';
import { PeopleRepository } from '../../src/graph/people/peopleRepository.js';
import { errorCodes, gql } from '../support/graphqlClient.js';
import { scratchUri, silentLog, startFixtureApp, testConfig } from '../support/testEnv.js';

let writer: App;
let reader: App;
let bounded: App;
let gateway: Neo4jGateway;

type Ranking = {
  rankCandidates: {
    nodes: { rank: number; candidate: { id: string } }[];
    pageInfo: { endCursor: string | null };
    meta: { cached: boolean; rankingId: string };
  };
};
const RANK = `query($after: String) { rankCandidates(vacancyId: "vac-x", first: 2, after: $after, options: { useReranker: false }) {
  nodes { rank candidate { id } } pageInfo { endCursor } meta { cached rankingId } } }`;

const write = async (query: string, variables: Record<string, unknown> = {}) => {
  const res = await gql(writer.url, query, variables);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
};
const rank = async (after: string | null = null, app: App = reader) => {
  const res = await gql<Ranking>(app.url, RANK, { after });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data!.rankCandidates;
};
const skills = (labels: string[]) => labels.map((label) => ({ label }));
const SKILLS = ['Python (computer programming)', 'SQL', 'statistics'];
/** `bounded`'s RANKING_VERSION_MAX_AGE_MS. */
const BOUND_MS = 300;

beforeAll(async () => {
  ({ app: writer, gateway } = await startFixtureApp());
  // The default ranking cache (30 s): only the data version can tell it about the writer's writes.
  reader = await startApp(
    testConfig(scratchUri(), {
      DEMO_AUTOLOAD: 'false',
      RERANKER_ENABLED: 'false',
      RANKING_VERSION_MAX_AGE_MS: '0',
    }),
    silentLog,
  );
  bounded = await startApp(
    testConfig(scratchUri(), {
      DEMO_AUTOLOAD: 'false',
      RERANKER_ENABLED: 'false',
      RANKING_VERSION_MAX_AGE_MS: String(BOUND_MS),
    }),
    silentLog,
  );
  await write(`mutation($v: VacancyInput!) { upsertVacancy(input: $v) { id } }`, {
    v: {
      id: 'vac-x',
      title: 'Data analyst',
      skills: SKILLS.map((label) => ({ label, relation: 'ESSENTIAL' })),
    },
  });
  for (let i = 0; i < 3; i += 1) {
    await write(`mutation($c: CandidateInput!) { upsertCandidate(input: $c) { id } }`, {
      c: { id: `cand-x${i}`, displayName: `Person ${i}`, skills: skills(SKILLS.slice(0, 1 + (i % 2))) },
    });
  }
});
afterAll(async () => {
  await Promise.all([writer?.stop(), reader?.stop(), bounded?.stop()]);
  await gateway?.close();
});

test("another process's write: the next identical request computes a new ranking; old cursors are refused", async () => {
  const first = await rank();
  assert.equal((await rank()).meta.cached, true, 'repeated: from the cache');
  await write(`mutation($c: CandidateInput!) { upsertCandidate(input: $c) { id } }`, {
    c: { id: 'cand-best', displayName: 'Best Fit', skills: skills(SKILLS) },
  });
  const after = await rank();
  assert.equal(after.meta.cached, false, 'computed again after the other process wrote');
  assert.equal(
    after.nodes[0]?.candidate.id,
    'cand-best',
    'the new candidate, holding every skill, ranks first',
  );
  assert.notEqual(after.meta.rankingId, first.meta.rankingId);
  const stale = await gql(reader.url, RANK, { after: first.pageInfo.endCursor });
  assert.deepEqual(errorCodes(stale), ['BAD_USER_INPUT'], 'a cursor from before the write');

  // Erasure by the other process: gone from the next answer, not served from the cache.
  assert.equal((await rank()).meta.cached, true);
  await write('mutation { deleteCandidate(id: "cand-best") { deleted } }');
  const erased = await rank();
  assert.equal(erased.meta.cached, false);
  assert.ok(!erased.nodes.some((n) => n.candidate.id === 'cand-best'));
});

test('folding the change records keeps the data version: cached rankings stay valid, the next write still moves it', async () => {
  const version = async () => Number((await gateway.read('ranking/data-version'))[0]?.version);
  await rank();
  assert.equal((await rank()).meta.cached, true);
  const before = await version();
  assert.ok(before > 0);
  const folded = await new PeopleRepository(gateway).compactChanges(1);
  assert.ok(folded > 0, 'there were change records to fold');
  assert.equal(await version(), before, 'the version is the same after folding');
  assert.equal(await new PeopleRepository(gateway).compactChanges(1), 0, 'nothing left to fold');
  assert.equal((await rank()).meta.cached, true, 'the cached ranking is still valid');
  await write(`mutation($c: CandidateInput!) { upsertCandidate(input: $c) { id } }`, {
    c: { id: 'cand-late', displayName: 'Late', skills: skills(SKILLS.slice(0, 1)) },
  });
  assert.equal(await version(), before + 1, 'one write, one step');
  assert.equal((await rank()).meta.cached, false);
});

test("ranked candidates' records: shared by data version, read again after another process's edit", async () => {
  const NAMES = `{ rankCandidates(vacancyId: "vac-x", first: 5, options: { useReranker: false }) {
    nodes { candidate { id displayName } } meta { cached } } }`;
  type Names = { rankCandidates: { nodes: { candidate: { id: string; displayName: string } }[] } };
  const names = async () => {
    const res = await gql<Names>(reader.url, NAMES);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    return new Map(res.data!.rankCandidates.nodes.map((n) => [n.candidate.id, n.candidate.displayName]));
  };
  const before = await names();
  assert.equal(before.get('cand-x1'), 'Person 1');
  // Repeated at the same version: the kept records, the same names.
  assert.deepEqual(await names(), before);
  // Renamed by the other process (skills unchanged, so the ranked list is the same): the version
  // moved, so the reader's next answer reads the record again and shows the new name.
  await write(`mutation($c: CandidateInput!) { upsertCandidate(input: $c) { id } }`, {
    c: { id: 'cand-x1', displayName: 'Renamed One', skills: skills(SKILLS.slice(0, 2)) },
  });
  const after = await names();
  assert.equal(after.get('cand-x1'), 'Renamed One');
  assert.deepEqual([...after.keys()], [...before.keys()], 'the same candidates');
});

test("with a version bound (the default), another process's write is seen once the bound has passed", async () => {
  await rank(null, bounded);
  assert.equal((await rank(null, bounded)).meta.cached, true, 'repeated: from the cache');
  await write(`mutation($c: CandidateInput!) { upsertCandidate(input: $c) { id } }`, {
    c: { id: 'cand-bound', displayName: 'Bound Fit', skills: skills(SKILLS) },
  });
  await new Promise((resolve) => setTimeout(resolve, BOUND_MS + 50));
  const after = await rank(null, bounded);
  assert.equal(after.meta.cached, false, 'computed again: its version read started after the write');
  assert.ok(after.nodes.some((n) => n.candidate.id === 'cand-bound'));
  // Its own writes are seen at once, whatever the bound.
  assert.equal((await rank(null, bounded)).meta.cached, true);
  const res = await gql(bounded.url, 'mutation { deleteCandidate(id: "cand-bound") { deleted } }');
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const erased = await rank(null, bounded);
  assert.equal(erased.meta.cached, false, 'a write through this process: at once');
  assert.ok(!erased.nodes.some((n) => n.candidate.id === 'cand-bound'));
});
