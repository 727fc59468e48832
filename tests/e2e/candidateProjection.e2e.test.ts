/**
 * The in-process candidate projection (#18 item 1) gives exactly the rankings of the graph path:
 * two apps on one database, one reading stage 2 from the projection and one from Neo4j
 * (RANKING_PROJECTION=false), rank the same vacancies with the same options and must return the
 * same lists: ids, scores, every feature value and contribution, explanations, matched and
 * missing skills, fairness figures. On the ESCO test store's demo data for many vacancies and
 * option sets, then on the scratch store through writes by either process (a new candidate, an
 * edit, an application, an erasure, writes racing rankings), where the projection must follow
 * each write without a full reload and still agree.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import type { Neo4jGateway } from '../../src/graph/gateway.js';
import { gql } from '../support/graphqlClient.js';
import { escoUri, scratchUri, silentLog, startFixtureApp, testConfig } from '../support/testEnv.js';

const RANK = `query($v: ID!, $k: Int, $o: RankingOptions) {
  rankCandidates(vacancyId: $v, k: $k, options: $o) {
    totalCount
    items { rank score explanation candidate { id }
      breakdown { feature value weight contribution }
      matchedSkills { uri } missingEssentialSkills { uri } }
    meta { featureSource recallSource pool afterFilters retrievedByVector retrievedByGraph stagesSkipped }
    fairness { poolSize groups { group poolCount topKCount exposure truePositiveRate falsePositiveRate } }
  } }`;

interface Ranked {
  rankCandidates: {
    totalCount: number;
    items: unknown[];
    meta: {
      featureSource: 'GRAPH' | 'PROJECTION';
      recallSource: 'GRAPH' | 'PROJECTION' | null;
      retrievedByGraph: number;
      stagesSkipped: string[];
    } & Record<string, unknown>;
    fairness: unknown;
  };
}

async function rank(app: App, vacancyId: string, options: Record<string, unknown> = {}, k = 100) {
  const res = await gql<Ranked>(app.url, RANK, { v: vacancyId, k, o: { useReranker: false, ...options } });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data!.rankCandidates;
}

/**
 * Everything but where the features came from, and the note on vector retrieval: whether the
 * vector stage runs depends on what each app found embedded when it started (on the scratch store
 * the second app starts after candidates without vectors were written), not on the projection.
 */
function comparable(r: Ranked['rankCandidates']) {
  const { featureSource: _source, recallSource: _recall, ...meta } = r.meta;
  const stagesSkipped = meta.stagesSkipped.filter((s) => !s.startsWith('vector retrieval:'));
  return { ...r, meta: { ...meta, stagesSkipped } };
}

/** Ranks on both apps until the projection app answers from the projection (its first load). */
async function untilProjected(app: App, vacancyId: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await rank(app, vacancyId, {}, 1)).meta.featureSource !== 'PROJECTION') {
    assert.ok(Date.now() < deadline, 'the projection loaded within 2 minutes');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function readyLine(app: App): Promise<string> {
  const ready = (await (await fetch(new URL('/ready', app.url))).json()) as {
    checks: { candidateProjection: string };
  };
  return ready.checks.candidateProjection;
}

// Both apps without a ranking cache: every request computes.
// RANKING_VERSION_MAX_AGE_MS 0: each request reads the data version, so a write by the other
// process is in the very next ranking (the default bound of 250 ms is tested in crossProcessCache).
const NO_CACHE = {
  RANKING_CACHE_TTL_MS: '0',
  RANKING_VERSION_MAX_AGE_MS: '0',
  RERANKER_ENABLED: 'false',
  DEMO_AUTOLOAD: 'false',
};

describe('demo store: many vacancies and option sets', () => {
  let projected: App;
  let graph: App;
  /** A projection without vectors (as above RANKING_PROJECTION_MAX_VECTORS): cosines from Neo4j. */
  let noVectors: App;
  let vacancies: string[];

  beforeAll(async () => {
    [projected, graph, noVectors] = await Promise.all([
      startApp(testConfig(escoUri(), NO_CACHE), silentLog),
      startApp(testConfig(escoUri(), { ...NO_CACHE, RANKING_PROJECTION: 'false' }), silentLog),
      startApp(testConfig(escoUri(), { ...NO_CACHE, RANKING_PROJECTION_MAX_VECTORS: '0' }), silentLog),
    ]);
    const res = await gql<{ vacancies: { nodes: { id: string }[] } }>(
      graph.url,
      `{ vacancies(first: 100) { nodes { id } } }`,
    );
    vacancies = res.data!.vacancies.nodes.map((v) => v.id);
    assert.ok(vacancies.length >= 40, `the demo store has vacancies (${vacancies.length})`);
    await Promise.all([untilProjected(projected, vacancies[0]!), untilProjected(noVectors, vacancies[0]!)]);
  });
  afterAll(async () => {
    await Promise.all([projected?.stop(), graph?.stop(), noVectors?.stop()]);
  });

  test('40 vacancies, default options: the same ranked lists, scores and fairness figures', async () => {
    for (const v of vacancies.slice(0, 40)) {
      const [a, b] = await Promise.all([rank(projected, v), rank(graph, v)]);
      assert.equal(a.meta.featureSource, 'PROJECTION', v);
      assert.equal(b.meta.featureSource, 'GRAPH', v);
      assert.equal(b.meta.recallSource === null ? null : 'GRAPH', b.meta.recallSource, v);
      assert.equal(a.meta.recallSource, b.meta.recallSource === null ? null : 'PROJECTION', v);
      assert.ok(a.items.length > 0, `${v} ranks someone`);
      assert.deepStrictEqual(comparable(a), comparable(b), v);
    }
  });

  test('graph recall cut short (retrieveN 5 and 20): the same holders, ties at the cut-off included', async () => {
    let cut = 0;
    for (const retrieveN of [5, 20]) {
      for (const v of vacancies.slice(0, 40)) {
        const options = { retrieveN };
        const [a, b] = await Promise.all([rank(projected, v, options), rank(graph, v, options)]);
        assert.equal(b.meta.recallSource === null ? null : 'PROJECTION', a.meta.recallSource, v);
        assert.deepStrictEqual(comparable(a), comparable(b), `${v} retrieveN ${retrieveN}`);
        if (a.meta.retrievedByGraph === retrieveN) cut += 1;
      }
    }
    // The cut-off was reached (more holders than retrieveN), so the order at it was compared.
    assert.ok(cut >= 40, `recalls cut at retrieveN: ${cut} of 80`);
  });

  test('without vectors held, the projection reads cosines from Neo4j and still agrees', async () => {
    assert.match(await readyLine(noVectors), /vectors database/);
    for (const v of vacancies.slice(0, 12)) {
      const [a, b] = await Promise.all([rank(noVectors, v), rank(graph, v)]);
      assert.equal(a.meta.featureSource, 'PROJECTION', v);
      assert.deepStrictEqual(comparable(a), comparable(b), v);
    }
  });

  test('filters, outcome history, other weights and the age-band audit agree too', async () => {
    const optionSets: Record<string, unknown>[] = [
      { excludeApplied: true },
      { weights: { outcomeHistory: 0.3, embeddingCosine: 0.5, idealProfileCosine: 0.4 } },
      { fairness: { attribute: 'AGE_BAND' } },
      { retrieveN: 50 },
    ];
    const regions = await gql<{ regions: { name: string }[] }>(graph.url, `{ regions { name } }`);
    const region = regions.data?.regions[0]?.name;
    if (region) optionSets.push({ region });
    for (const options of optionSets) {
      for (const v of vacancies.slice(40, 52)) {
        const [a, b] = await Promise.all([rank(projected, v, options), rank(graph, v, options)]);
        assert.equal(a.meta.featureSource, 'PROJECTION');
        assert.deepStrictEqual(comparable(a), comparable(b), `${v} ${JSON.stringify(options)}`);
      }
    }
  });
});

describe('scratch store: the projection follows writes by either process', () => {
  let writer: App;
  let other: App;
  let gateway: Neo4jGateway;
  const SKILLS = ['Python (computer programming)', 'SQL', 'statistics'];
  const skills = (labels: string[]) => labels.map((label) => ({ label }));

  const write = async (app: App, query: string, variables: Record<string, unknown>) => {
    const res = await gql(app.url, query, variables);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  };
  const upsertCandidate = (app: App, c: Record<string, unknown>) =>
    write(app, `mutation($c: CandidateInput!) { upsertCandidate(input: $c) { id } }`, { c });
  const projectionStatus = readyLine;
  /** Both apps, one ranking: the projection app from its projection, equal to the graph app's. */
  const agree = async (label: string) => {
    const [a, b] = await Promise.all([rank(writer, 'vac-p'), rank(other, 'vac-p')]);
    assert.equal(a.meta.featureSource, 'PROJECTION', label);
    assert.deepStrictEqual(comparable(a), comparable(b), label);
    return a;
  };

  beforeAll(async () => {
    ({ app: other, gateway } = await startFixtureApp({ ...NO_CACHE, RANKING_PROJECTION: 'false' }));
    await write(other, `mutation($v: VacancyInput!) { upsertVacancy(input: $v) { id } }`, {
      v: {
        id: 'vac-p',
        title: 'Data analyst',
        skills: SKILLS.map((label) => ({ label, relation: 'ESSENTIAL' })),
      },
    });
    for (let i = 0; i < 6; i += 1) {
      await upsertCandidate(other, {
        id: `cand-p${i}`,
        displayName: `Person ${i}`,
        region: i % 2 ? 'North' : 'South',
        skills: skills(SKILLS.slice(0, 1 + (i % 3))),
      });
    }
    writer = await startApp(testConfig(scratchUri(), NO_CACHE), silentLog);
    await untilProjected(writer, 'vac-p');
  });
  afterAll(async () => {
    await Promise.all([writer?.stop(), other?.stop()]);
    await gateway?.close();
  });

  test('a write through this process, then the same request: the new ranking, from the projection', async () => {
    await agree('before');
    await upsertCandidate(writer, { id: 'cand-best', displayName: 'Best Fit', skills: skills(SKILLS) });
    const after = await agree('after a new candidate');
    assert.equal((after.items[0] as { candidate: { id: string } }).candidate.id, 'cand-best');
    await upsertCandidate(writer, {
      id: 'cand-best',
      displayName: 'Best Fit',
      skills: skills(SKILLS.slice(0, 1)),
    });
    const edited = await agree('after an edit');
    assert.notEqual((edited.items[0] as { candidate: { id: string } }).candidate.id, 'cand-best');
    assert.match(await projectionStatus(writer), /^\S+ candidates .* 1 full loads, [1-9]\d* refreshes/);
  });

  test("another process's writes: an application, an edit and an erasure are followed", async () => {
    await write(
      other,
      `mutation { recordApplication(candidateId: "cand-p1", vacancyId: "vac-p") { status } }`,
      {},
    );
    await agree('after an application by the other process');
    await write(
      other,
      `mutation { updateApplicationStatus(candidateId: "cand-p1", vacancyId: "vac-p", status: INTERVIEW) { status } }`,
      {},
    );
    await agree('after a status change by the other process');
    const withHistory = await Promise.all([
      rank(writer, 'vac-p', { excludeApplied: true }),
      rank(other, 'vac-p', { excludeApplied: true }),
    ]);
    assert.deepStrictEqual(comparable(withHistory[0]), comparable(withHistory[1]));
    await upsertCandidate(other, {
      id: 'cand-p2',
      displayName: 'Person 2',
      region: 'North',
      skills: skills(SKILLS),
    });
    await agree('after an edit by the other process');
    await write(other, `mutation { deleteCandidate(id: "cand-p0") { deleted } }`, {});
    const erased = await agree('after an erasure by the other process');
    assert.ok(!JSON.stringify(erased.items).includes('"cand-p0"'), 'the erased candidate is gone');
    assert.match(await projectionStatus(writer), / 1 full loads, /, 'followed without a full reload');
  });

  test('writes racing rankings: once they stop, both processes agree', async () => {
    const writes = Array.from({ length: 12 }, (_, i) =>
      upsertCandidate(i % 2 ? writer : other, {
        id: `cand-race${i % 4}`,
        displayName: `Racer ${i}`,
        skills: skills(SKILLS.slice(0, 1 + (i % 3))),
      }),
    );
    // 6 writes + 8 rankings per process: under the per-caller limit (16 in flight), which would
    // answer SERVICE_OVERLOADED on a slow machine rather than test the race.
    const rankings = Array.from({ length: 16 }, (_, i) => rank(i % 2 ? writer : other, 'vac-p'));
    await Promise.all([...writes, ...rankings]);
    await agree('after the race');
  });
});
