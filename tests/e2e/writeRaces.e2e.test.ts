/**
 * Writes that are atomic under concurrency, through the real API and Neo4j: parallel requests on
 * one candidate are serialised by the candidate's write lock, a status change is a compare-and-set,
 * erasure is idempotent, and a same-status "transition" is refused without touching updatedAt.
 * Each test fires its requests at once and then checks the graph itself.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import type { App } from '../../src/app.js';
import type { Neo4jGateway } from '../../src/graph/gateway.js';
import { errorCodes, gql } from '../support/graphqlClient.js';
import { graphSnapshot } from '../support/snapshot.js';
import { startFixtureApp } from '../support/testEnv.js';

let app: App;
let gateway: Neo4jGateway;

const mutate = (query: string) =>
  gql<Record<string, { status?: string; deleted?: boolean }>>(app.url, `mutation { ${query} }`);

async function applications(
  candidateId: string,
): Promise<Array<{ vacancy: string; status: string; updatedAt: string }>> {
  const res = await gql<{
    candidate: { applications: Array<{ vacancy: { id: string }; status: string; updatedAt: string }> } | null;
  }>(app.url, 'query($id: ID!) { candidate(id: $id) { applications { vacancy { id } status updatedAt } } }', {
    id: candidateId,
  });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return (res.data?.candidate?.applications ?? []).map((a) => ({
    vacancy: a.vacancy.id,
    status: a.status,
    updatedAt: a.updatedAt,
  }));
}

beforeAll(async () => {
  ({ app, gateway } = await startFixtureApp());
  const seed = await mutate(
    `v: upsertVacancy(input: { id: "vac-r", title: "Analyst" }) { id }
     ${Array.from({ length: 4 }, (_, i) => `c${i}: upsertCandidate(input: { id: "cand-r${i}", displayName: "P${i}" }) { id }`).join('\n')}`,
  );
  assert.equal(seed.errors, undefined, JSON.stringify(seed.errors));
});
afterAll(async () => {
  await app.stop();
  await gateway.close();
});

test('10 parallel recordApplication for one pair: one application, nine CONFLICT', async () => {
  const results = await Promise.all(
    Array.from({ length: 10 }, () =>
      mutate('recordApplication(candidateId: "cand-r0", vacancyId: "vac-r") { status }'),
    ),
  );
  const codes = results.map((r) => errorCodes(r)[0] ?? 'OK').sort();
  assert.deepEqual(codes, [
    'CONFLICT',
    'CONFLICT',
    'CONFLICT',
    'CONFLICT',
    'CONFLICT',
    'CONFLICT',
    'CONFLICT',
    'CONFLICT',
    'CONFLICT',
    'OK',
  ]);
  assert.equal((await applications('cand-r0')).length, 1);
});

test('parallel INTERVIEW -> HIRED and -> REJECTED: exactly one wins, the others are told, the graph agrees', async () => {
  await mutate('recordApplication(candidateId: "cand-r1", vacancyId: "vac-r") { status }');
  for (const to of ['SCREENED', 'INTERVIEW']) {
    const moved = await mutate(
      `updateApplicationStatus(candidateId: "cand-r1", vacancyId: "vac-r", status: ${to}) { status }`,
    );
    assert.equal(moved.errors, undefined, JSON.stringify(moved.errors));
  }
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) =>
      mutate(
        `updateApplicationStatus(candidateId: "cand-r1", vacancyId: "vac-r", status: ${i % 2 ? 'REJECTED' : 'HIRED'}) { status }`,
      ),
    ),
  );
  const winners = results.filter((r) => !r.errors);
  assert.equal(winners.length, 1, JSON.stringify(results.map((r) => r.errors?.[0]?.message ?? r.data)));
  const final = winners[0]?.data?.updateApplicationStatus?.status;
  for (const loser of results.filter((r) => r.errors)) {
    const [code] = errorCodes(loser);
    assert.ok(code === 'CONFLICT' || code === 'BAD_USER_INPUT', JSON.stringify(loser.errors));
    assert.match(
      loser.errors?.[0]?.message ?? '',
      new RegExp(`${final}`),
      'the loser is told what the status is now',
    );
  }
  assert.deepEqual(
    (await applications('cand-r1')).map((a) => a.status),
    [final],
  );
});

test('HIRED -> HIRED is refused as unchanged and does not rewrite updatedAt', async () => {
  await mutate('recordApplication(candidateId: "cand-r2", vacancyId: "vac-r") { status }');
  for (const to of ['SCREENED', 'INTERVIEW', 'HIRED']) {
    await mutate(
      `updateApplicationStatus(candidateId: "cand-r2", vacancyId: "vac-r", status: ${to}) { status }`,
    );
  }
  const before = await graphSnapshot(gateway);
  const again = await mutate(
    'updateApplicationStatus(candidateId: "cand-r2", vacancyId: "vac-r", status: HIRED) { status }',
  );
  assert.deepEqual(errorCodes(again), ['BAD_USER_INPUT']);
  assert.match(again.errors?.[0]?.message ?? '', /already HIRED: nothing to change/);
  assert.deepEqual(await graphSnapshot(gateway), before);
});

test('6 parallel deleteCandidate: exactly one says deleted, the rest deleted: false, the person is gone', async () => {
  await mutate('recordApplication(candidateId: "cand-r3", vacancyId: "vac-r") { status }');
  const results = await Promise.all(
    Array.from({ length: 6 }, () => mutate('deleteCandidate(id: "cand-r3") { deleted applicationsRemoved }')),
  );
  assert.deepEqual(
    results.map((r) => r.errors),
    Array(6).fill(undefined),
  );
  const deleted = results.map((r) => r.data?.deleteCandidate?.deleted);
  assert.equal(deleted.filter((d) => d === true).length, 1, JSON.stringify(deleted));
  assert.equal(deleted.filter((d) => d === false).length, 5);
  const gone = await gql(app.url, '{ candidate(id: "cand-r3") { id } }');
  assert.deepEqual(errorCodes(gone), ['NOT_FOUND']);
});

test('an erased candidate leaves no cached ranking behind: the same request right after answers without them', async () => {
  const seed = await mutate(
    `v: upsertVacancy(input: { id: "vac-cache", title: "Python developer", skills: [{ label: "Python", relation: ESSENTIAL }] }) { id }
     a: upsertCandidate(input: { id: "cand-cache-a", displayName: "A", skills: [{ label: "Python" }] }) { id }
     b: upsertCandidate(input: { id: "cand-cache-b", displayName: "B", skills: [{ label: "Python" }] }) { id }`,
  );
  assert.equal(seed.errors, undefined, JSON.stringify(seed.errors));
  const rank = () =>
    gql<{ rankCandidates: { items: Array<{ candidate: { id: string } }>; meta: { cached: boolean } } }>(
      app.url,
      '{ rankCandidates(vacancyId: "vac-cache", k: 10) { items { candidate { id } } meta { cached } } }',
    );
  const first = await rank();
  assert.equal(first.errors, undefined, JSON.stringify(first.errors));
  assert.deepEqual(first.data?.rankCandidates.items.map((i) => i.candidate.id).sort(), [
    'cand-cache-a',
    'cand-cache-b',
  ]);
  assert.equal(
    (await rank()).data?.rankCandidates.meta.cached,
    true,
    'an identical request is served from cache',
  );
  await mutate('deleteCandidate(id: "cand-cache-a") { deleted }');
  const after = await rank();
  assert.equal(after.errors, undefined, JSON.stringify(after.errors));
  assert.deepEqual(
    after.data?.rankCandidates.items.map((i) => i.candidate.id),
    ['cand-cache-b'],
  );
  assert.equal(after.data?.rankCandidates.meta.cached, false);
});
