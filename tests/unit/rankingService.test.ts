/**
 * The ranking pipeline's orchestration (retrieve → features → rerank → fuse → fairness → page)
 * against an in-memory `RankingReads` and fake models: stage order, filters, caching, load
 * shedding, paging, determinism, the fairness constraint, and both sides. Unit tier: no database,
 * no model files; the numbers come from the real feature, fusion and fairness functions.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { BadUserInputError, ForbiddenError, NotFoundError, OverloadedError } from '../../src/errors.js';
import type { EvidenceRow, RequirementRow, VacancyRequirements } from '../../src/graph/gap/gapRepository.js';
import { encodeCursor } from '../../src/graph/paging.js';
import type { RankedKind, RankingReads } from '../../src/graph/ranking/rankingRepository.js';
import type { CandidatePoolReads } from '../../src/graph/ranking/candidateProjection.js';
import type {
  CandidateContextRecord,
  CandidateFeatureRecord,
  CandidateTextRecord,
  OccupationRefRecord,
  PoolGroupRecord,
  VacancyContextRecord,
  VacancyFeatureRecord,
} from '../../src/graph/ranking/records.js';
import type { Embedder } from '../../src/inference/embedder.js';
import type { Reranker } from '../../src/inference/reranker.js';
import { cosine } from '../../src/ranking/features.js';
import { remainingMs, runWithDeadline } from '../../src/requestScope.js';
import {
  RankingService,
  type RankingDeps,
  type RankingOptions,
  type RankingResult,
  type RankingViewer,
} from '../../src/services/rankingService.js';

// ---- a tiny graph ------------------------------------------------------------------------------

const DEVELOPER: OccupationRefRecord = { uri: 'o1', iscoGroup: '2511', label: 'software developer' };
const WEB_DEVELOPER: OccupationRefRecord = { uri: 'o2', iscoGroup: '2512', label: 'web developer' };

const req = (uri: string, label: string, relation: 'essential' | 'optional', specificity: number) =>
  ({ uri, label, relation, specificity }) satisfies RequirementRow;

interface FakeVacancy {
  readonly id: string;
  readonly title: string;
  readonly region: string | null;
  readonly status: 'OPEN' | 'CLOSED';
  readonly occupation: OccupationRefRecord | null;
  readonly requirements: readonly RequirementRow[];
  readonly embedding: readonly number[] | null;
}

interface FakeCandidate {
  readonly id: string;
  readonly summary: string;
  readonly region: string | null;
  readonly occupations: readonly OccupationRefRecord[];
  readonly skills: readonly string[];
  readonly embedding: readonly number[] | null;
  readonly applications: ReadonlyArray<readonly [vacancyId: string, status: string]>;
  /** Audit group: read by `poolGroups` only, must never appear in a result. */
  readonly group: string | null;
}

const VACANCIES: readonly FakeVacancy[] = [
  {
    id: 'v1',
    title: 'Data engineer',
    region: 'north',
    status: 'OPEN',
    occupation: DEVELOPER,
    requirements: [
      req('s1', 'python', 'essential', 2),
      req('s2', 'sql', 'essential', 1),
      req('s3', 'docker', 'optional', 1),
    ],
    embedding: [1, 0, 0],
  },
  {
    id: 'v2',
    title: 'Cook',
    region: 'south',
    status: 'OPEN',
    occupation: null,
    requirements: [],
    embedding: [0, 1, 0],
  },
  {
    id: 'v3',
    title: 'Closed data job',
    region: 'north',
    status: 'CLOSED',
    occupation: DEVELOPER,
    requirements: [req('s1', 'python', 'essential', 2)],
    embedding: [0.9, 0.1, 0],
  },
];

const SKILL_LABELS: Readonly<Record<string, string>> = { s1: 'python', s2: 'sql', s3: 'docker' };
/** The organization offering each vacancy (which callers may count an application to it). */
const ORGANIZATION_OF: Readonly<Record<string, string>> = { v1: 'org-a', v2: 'org-b', v3: 'org-a' };

const CANDIDATES: readonly FakeCandidate[] = [
  {
    id: 'c1',
    summary: 'Senior data engineer.',
    region: 'north',
    occupations: [DEVELOPER],
    skills: ['s1', 's2', 's3'],
    embedding: [1, 0, 0],
    applications: [['v1', 'INTERVIEW']],
    group: 'GROUP_A',
  },
  {
    id: 'c2',
    summary: 'Web work.',
    region: 'north',
    occupations: [WEB_DEVELOPER],
    skills: ['s1'],
    embedding: [0.8, 0.2, 0],
    applications: [],
    group: 'GROUP_A',
  },
  {
    id: 'c3',
    summary: 'Kitchen.',
    region: 'south',
    occupations: [],
    skills: ['s2'],
    embedding: [0, 1, 0],
    applications: [['v2', 'HIRED']],
    group: 'GROUP_A',
  },
  // c4 and c5 are the same candidate but for their id and group: their scores tie.
  {
    id: 'c4',
    summary: 'Engineer.',
    region: 'north',
    occupations: [DEVELOPER],
    skills: ['s1', 's2'],
    embedding: [0.6, 0.4, 0],
    applications: [],
    group: 'GROUP_A',
  },
  {
    id: 'c5',
    summary: 'Engineer.',
    region: 'north',
    occupations: [DEVELOPER],
    skills: ['s1', 's2'],
    embedding: [0.6, 0.4, 0],
    applications: [],
    group: 'GROUP_B',
  },
  {
    id: 'c6',
    summary: 'New here.',
    region: 'east',
    occupations: [],
    skills: [],
    embedding: null,
    applications: [],
    group: null,
  },
];

const f32 = (v: readonly number[] | null) => (v ? Float32Array.from(v) : null);
const cos = (a: readonly number[] | null, b: Float32Array | null) =>
  a && b ? cosine(Float32Array.from(a), b) : null;

/** `RankingReads` over the arrays above; logs every call; `reverse` returns rows in reverse order. */
class FakeRepository implements RankingReads {
  readonly log: string[] = [];
  readonly nearestN: number[] = [];

  constructor(private readonly reverse = false) {}

  private order<T>(rows: T[]): T[] {
    return this.reverse ? [...rows].reverse() : rows;
  }

  vacancyContext(id: string): Promise<VacancyContextRecord | null> {
    this.log.push('vacancyContext');
    const v = VACANCIES.find((x) => x.id === id);
    return Promise.resolve(
      v
        ? {
            id: v.id,
            title: v.title,
            description: null,
            region: v.region,
            embedding: f32(v.embedding),
            skillLabels: v.requirements.map((r) => r.label).sort(),
            occupation: v.occupation
              ? { ...v.occupation, altLabels: [], essentialSkills: v.requirements.map((r) => r.label) }
              : null,
          }
        : null,
    );
  }

  candidateContext(id: string): Promise<CandidateContextRecord | null> {
    this.log.push('candidateContext');
    const c = CANDIDATES.find((x) => x.id === id);
    return Promise.resolve(
      c
        ? {
            id: c.id,
            summary: c.summary,
            region: c.region,
            embedding: f32(c.embedding),
            occupations: c.occupations,
            skillLabels: c.skills.map((s) => SKILL_LABELS[s] ?? s),
          }
        : null,
    );
  }

  nearest(kind: RankedKind, vector: Float32Array, n: number): Promise<string[]> {
    this.log.push(`nearest:${kind}`);
    this.nearestN.push(n);
    const all = (kind === 'candidate' ? CANDIDATES : VACANCIES)
      .flatMap((x) => {
        const score = cos(x.embedding, vector);
        return score === null ? [] : [{ id: x.id, score }];
      })
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return Promise.resolve(this.order(all.slice(0, n).map((x) => x.id)));
  }

  candidatesHoldingSkills(skillUris: readonly string[], n: number): Promise<string[]> {
    this.log.push('candidatesHoldingSkills');
    const ids = CANDIDATES.filter((c) => c.skills.some((s) => skillUris.includes(s))).map((c) => c.id);
    return Promise.resolve(this.order(ids.slice(0, n)));
  }

  vacanciesForSkillsOf(candidateId: string, n: number): Promise<string[]> {
    this.log.push('vacanciesForSkillsOf');
    const held = CANDIDATES.find((c) => c.id === candidateId)?.skills ?? [];
    const ids = VACANCIES.filter((v) =>
      v.requirements.some((r) => r.relation === 'essential' && held.includes(r.uri)),
    ).map((v) => v.id);
    return Promise.resolve(this.order(ids.slice(0, n)));
  }

  candidatePool(): Promise<CandidatePoolReads> {
    return Promise.resolve({
      source: 'GRAPH',
      candidateFeatures: (ids, query, ideal) => this.candidateFeatures(ids, query, ideal),
      skillEvidence: (candidateIds, skillUris) => this.skillEvidence(candidateIds, skillUris),
      poolGroups: (ids, attribute) => this.poolGroups(ids, attribute),
      holders: (skills, n) =>
        this.candidatesHoldingSkills(
          skills.map((s) => s.uri),
          n,
        ),
    });
  }

  candidateFeatures(
    ids: readonly string[],
    query: Float32Array | null,
    ideal: Float32Array | null,
  ): Promise<CandidateFeatureRecord[]> {
    this.log.push('candidateFeatures');
    const rows = ids.flatMap((id) => {
      const c = CANDIDATES.find((x) => x.id === id);
      return c
        ? [
            {
              id: c.id,
              region: c.region,
              occupations: c.occupations,
              cosine: cos(c.embedding, query),
              idealCosine: cos(c.embedding, ideal),
              applications: c.applications.map(([vacancyId, status]) => ({
                vacancyId,
                status,
                organizationId: ORGANIZATION_OF[vacancyId] ?? null,
              })),
            },
          ]
        : [];
    });
    return Promise.resolve(this.order(rows));
  }

  vacancyFeatures(
    ids: readonly string[],
    candidateId: string,
    query: Float32Array | null,
  ): Promise<VacancyFeatureRecord[]> {
    this.log.push('vacancyFeatures');
    const candidate = CANDIDATES.find((c) => c.id === candidateId);
    const rows = ids.flatMap((id) => {
      const v = VACANCIES.find((x) => x.id === id);
      return v
        ? [
            {
              id: v.id,
              title: v.title,
              description: null,
              region: v.region,
              status: v.status,
              occupation: v.occupation,
              skillLabels: v.requirements.map((r) => r.label).sort(),
              cosine: cos(v.embedding, query),
              idealCosine: null,
              applicationStatus: candidate?.applications.find(([vid]) => vid === v.id)?.[1] ?? null,
            },
          ]
        : [];
    });
    return Promise.resolve(this.order(rows));
  }

  candidateTexts(ids: readonly string[]): Promise<CandidateTextRecord[]> {
    this.log.push('candidateTexts');
    return Promise.resolve(
      CANDIDATES.filter((c) => ids.includes(c.id)).map((c) => ({
        id: c.id,
        summary: c.summary,
        skillLabels: c.skills.map((s) => SKILL_LABELS[s] ?? s),
        occupationLabels: c.occupations.map((o) => o.label),
      })),
    );
  }

  poolGroups(ids: readonly string[], attribute: string): Promise<PoolGroupRecord[]> {
    this.log.push(`poolGroups:${attribute}`);
    return Promise.resolve(
      CANDIDATES.filter((c) => ids.includes(c.id)).map((c) => ({ id: c.id, group: c.group })),
    );
  }

  escoVersion(): Promise<string> {
    this.log.push('escoVersion');
    return Promise.resolve('1.1.1');
  }

  /** Moved by a test to stand for a write by another process. */
  version = 0;

  dataVersion(): Promise<number> {
    return Promise.resolve(this.version);
  }

  vacancyRequirements(ids: readonly string[]): Promise<Map<string, VacancyRequirements>> {
    this.log.push('vacancyRequirements');
    return Promise.resolve(
      new Map(
        VACANCIES.filter((v) => ids.includes(v.id)).map((v) => [
          v.id,
          { id: v.id, occupationUri: v.occupation?.uri ?? null, requirements: v.requirements },
        ]),
      ),
    );
  }

  skillEvidence(
    candidateIds: readonly string[],
    skillUris: readonly string[],
  ): Promise<Map<string, EvidenceRow>> {
    this.log.push('skillEvidence');
    return Promise.resolve(new Map(candidateIds.map((id) => [id, this.evidenceOf(id, skillUris)])));
  }

  nearSkills(_skillUris: readonly string[]): Promise<EvidenceRow['near']> {
    this.log.push('nearSkills');
    return Promise.resolve([]);
  }

  candidateEvidence(candidateId: string, skillUris: readonly string[]): Promise<EvidenceRow> {
    this.log.push('candidateEvidence');
    return Promise.resolve(this.evidenceOf(candidateId, skillUris));
  }

  private evidenceOf(candidateId: string, skillUris: readonly string[]): EvidenceRow {
    const held = CANDIDATES.find((c) => c.id === candidateId)?.skills ?? [];
    return { candidateId, held: skillUris.filter((u) => held.includes(u)), near: [] };
  }
}

/** Vectors from the text (deterministic); logs each call's kind. */
function fakeEmbedder(log: string[]): Embedder {
  return {
    info: {
      name: 'fake-embedder',
      source: 'test',
      sha256: 'e'.repeat(64),
      tokenizerSha256: 't'.repeat(64),
      dimension: 3,
      maxTokens: 128,
      pooling: 'mean',
      normalize: true,
      queryPrefix: '',
      passagePrefix: '',
      device: 'cpu',
    },
    embed(texts, kind) {
      log.push(`embed:${kind}`);
      return Promise.resolve(texts.map((t) => Float32Array.from([1, (t.length % 7) / 7, 0.1])));
    },
    close: () => Promise.resolve(),
  };
}

/** Scores a pair by whether its candidate text mentions sql; `waiting` is what `pending()` says. */
class FakeReranker implements Reranker {
  readonly info = {
    name: 'fake-reranker',
    source: 'test',
    sha256: 'r'.repeat(64),
    tokenizerSha256: 't'.repeat(64),
    maxTokens: 256,
    device: 'cpu' as const,
  };
  waiting = 0;
  readonly pairs: Array<readonly [string, string]> = [];

  constructor(private readonly log: string[]) {}

  score(pairs: ReadonlyArray<readonly [string, string]>): Promise<number[]> {
    this.log.push('score');
    this.pairs.push(...pairs);
    // The candidate text is the passage of rankCandidates and the query of rankVacancies.
    return Promise.resolve(
      pairs.map(([q, p]) => ((q.startsWith('Experience') ? q : p).includes('sql') ? 0.9 : 0.1)),
    );
  }

  pending(): number {
    return this.waiting;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function setup(overrides: Partial<RankingDeps> & { reverse?: boolean } = {}) {
  const repository = new FakeRepository(overrides.reverse ?? false);
  const reranker = new FakeReranker(repository.log);
  const service = new RankingService({
    repository,
    embedder: fakeEmbedder(repository.log),
    reranker,
    embeddings: null,
    minGroupSize: 1,
    cacheTtlMs: 60_000,
    // These tests exercise every stage: the cross-encoder runs unless a request turns it off
    // (the service's own default, off, is tested on its own).
    defaultUseReranker: true,
    ...overrides,
  });
  return { service, repository, reranker, log: repository.log };
}

const ids = (r: RankingResult) => r.items.map((i) => i.id);
const NO_CE: RankingOptions = { useReranker: false };
/** A result without what differs between equal rankings of two services: timings, and the run-bound id and cursors. */
const stable = (r: RankingResult) => ({
  ...r,
  rankingId: null,
  cursorAt: null,
  meta: { ...r.meta, timingsMs: null, rankingId: null },
});

// ---- the tests ---------------------------------------------------------------------------------

describe('rankCandidates', () => {
  test('the cross-encoder runs only when the request or the server default asks for it', async () => {
    const { service, log } = setup({ defaultUseReranker: undefined });
    const plain = await service.rankCandidates('v1', 5, null, {});
    assert.equal(plain.meta.reranked, 0);
    assert.ok(!log.includes('score'), 'the model never ran');
    assert.ok(plain.meta.stagesSkipped.some((s) => s.includes('turned off')));
    const asked = await service.rankCandidates('v1', 5, null, { useReranker: true });
    assert.equal(asked.meta.reranked, 5);
    assert.notEqual(asked.rankingId, plain.rankingId, 'with and without it are two rankings');
    const onByServer = setup({ defaultUseReranker: true }).service;
    assert.equal((await onByServer.rankCandidates('v1', 5, null, {})).meta.reranked, 5);
  });

  test('runs the stages in order: subject, retrieve, features, rerank, report', async () => {
    const { service, log, reranker } = setup();
    const result = await service.rankCandidates('v1', 10, null, {});
    assert.deepEqual(log, [
      // The ESCO version is part of the cache key: read (once per process) before the lookup.
      'escoVersion',
      'vacancyContext',
      'vacancyRequirements',
      // The stored vector is the query (same prefixes); the ideal profile is embedded. The graph
      // recall does not wait for the query vector, nor the vector search for the ideal profile.
      'embed:passage',
      // Read with the recall (which first asks where the pool's reads come from), so that stage 2
      // finds them cached.
      'nearSkills',
      'nearest:candidate',
      'candidatesHoldingSkills',
      'candidateFeatures',
      'skillEvidence',
      'poolGroups:gender',
      'candidateTexts',
      'score',
    ]);
    // c6 has no embedding and no python or sql: neither retrieval finds it.
    assert.deepEqual([...ids(result)].sort(), ['c1', 'c2', 'c3', 'c4', 'c5']);
    assert.deepEqual(
      result.items.map((i) => i.rank),
      [1, 2, 3, 4, 5],
    );
    for (let i = 1; i < result.items.length; i += 1) {
      assert.ok((result.items[i - 1]?.score ?? 0) >= (result.items[i]?.score ?? 0));
    }
    assert.equal(ids(result)[0], 'c1');
    assert.deepEqual(result.meta.retrieved, { vector: 5, graph: 5, pool: 5, afterFilters: 5 });
    assert.equal(result.meta.reranked, 5);
    assert.equal(result.meta.rerankerModel?.name, 'fake-reranker');
    assert.equal(result.meta.embeddingModel?.name, 'fake-embedder');
    assert.equal(result.meta.escoVersion, '1.1.1');
    assert.deepEqual(result.meta.stagesSkipped, []);
    assert.equal(result.meta.cached, false);
    // The cross-encoder read the vacancy as its query and each candidate as the passage.
    assert.ok(reranker.pairs.every(([q]) => q.startsWith('Data engineer.')));
    const top = result.items[0];
    assert.ok(top);
    assert.equal(top.breakdown.find((b) => b.name === 'crossEncoder')?.value, 0.9);
    assert.equal(
      top.score,
      top.breakdown.reduce((sum, b) => sum + b.contribution, 0),
    );
    assert.match(top.explanation, /^Holds 2 of 2 essential skills/);
    assert.equal(result.fairnessAttribute, 'gender');
    assert.equal(result.fairness?.poolSize, 5);
  });

  test('the vector search and the graph recall do not wait for the ideal profile to be embedded', async () => {
    const { repository } = setup();
    const plain = fakeEmbedder(repository.log);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: Embedder = {
      ...plain,
      embed: async (texts, kind) => {
        await held;
        return plain.embed(texts, kind);
      },
    };
    const { service, log } = setup({ embedder: slow });
    const ranking = service.rankCandidates('v1', 3, null, NO_CE);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(log.includes('nearest:candidate'), log.join(' '));
    assert.ok(log.includes('candidatesHoldingSkills'), log.join(' '));
    assert.ok(!log.includes('candidateFeatures'), 'stage 2 waits for the ideal profile');
    release();
    assert.ok((await ranking).items.length > 0);
  });

  test('the cross-encoder re-orders the head only and is named only when it ran', async () => {
    const { service } = setup();
    const plain = await service.rankCandidates('v1', 10, null, NO_CE);
    assert.equal(plain.meta.reranked, 0);
    assert.equal(plain.meta.rerankerModel, null);
    assert.deepEqual(plain.meta.stagesSkipped, ['cross-encoder: turned off by the request']);
    assert.ok(plain.items.every((i) => i.breakdown.find((b) => b.name === 'crossEncoder')?.value === null));
    const head = await service.rankCandidates('v1', 10, null, { rerankM: 2 });
    assert.equal(head.meta.reranked, 2);
    assert.deepEqual(ids(head).slice(2), ids(plain).slice(2));
    assert.deepEqual([...ids(head).slice(0, 2)].sort(), [...ids(plain).slice(0, 2)].sort());
  });

  test('region and excludeApplied filter the pool after retrieval, which over-fetches', async () => {
    const { service, repository } = setup();
    const south = await service.rankCandidates('v1', 10, null, { ...NO_CE, region: 'south' });
    assert.deepEqual(ids(south), ['c3']);
    assert.equal(south.meta.retrieved.afterFilters, 1);
    assert.equal(south.meta.retrieved.pool, 5);
    const open = await service.rankCandidates('v1', 10, null, { ...NO_CE, excludeApplied: true });
    assert.ok(!ids(open).includes('c1'), 'c1 applied to v1');
    assert.equal(open.items.length, 4);
    await service.rankCandidates('v1', 10, null, { ...NO_CE, retrieveN: 7 });
    // Two filtered requests fetched twice the default; the unfiltered one exactly retrieveN.
    assert.deepEqual(repository.nearestN, [1000, 1000, 7]);
  });

  test('an identical request is answered from the cache; another option is not', async () => {
    const { service, log } = setup();
    const first = await service.rankCandidates('v1', 3, null, {});
    const calls = log.length;
    const again = await service.rankCandidates('v1', 3, null, {});
    assert.equal(again.meta.cached, true);
    assert.equal(log.length, calls, 'no read and no model call');
    assert.deepEqual(again.items, first.items);
    const other = await service.rankCandidates('v1', 3, null, { weights: { regionMatch: 0.5 } });
    assert.equal(other.meta.cached, false);
    assert.equal(other.meta.weights.regionMatch, 0.5);
  });

  test('a write by another process (the data version moves) invalidates the cached ranking and its cursors', async () => {
    const { service, repository } = setup();
    const first = await service.rankCandidates('v1', 2, null, NO_CE);
    assert.equal((await service.rankCandidates('v1', 2, null, NO_CE)).meta.cached, true);
    repository.version += 1;
    const after = await service.rankCandidates('v1', 2, null, NO_CE);
    assert.equal(after.meta.cached, false, 'computed again from the changed data');
    assert.notEqual(after.rankingId, first.rankingId, 'another ranking');
    await assert.rejects(
      service.rankCandidates('v1', 2, first.cursorAt(1), NO_CE),
      BadUserInputError,
      'a cursor of the ranking before the write is refused',
    );
  });

  test('with a version bound, the data version is read outside the request that asks first (its deadline is not shared)', async () => {
    const { service, repository } = setup({ versionMaxAgeMs: 1_000 });
    const scopes: Array<number | undefined> = [];
    repository.dataVersion = () => {
      scopes.push(remainingMs());
      return Promise.resolve(repository.version);
    };
    await runWithDeadline(5_000, () => service.rankCandidates('v1', 2, null, NO_CE));
    assert.deepEqual(scopes, [undefined], "one read, in no request's scope");
    service.close();
    // Without a bound, each request reads within its own scope (its deadline bounds the read).
    const strict = setup();
    const strictScopes: Array<number | undefined> = [];
    strict.repository.dataVersion = () => {
      strictScopes.push(remainingMs());
      return Promise.resolve(0);
    };
    await runWithDeadline(5_000, () => strict.service.rankCandidates('v1', 2, null, NO_CE));
    assert.equal(strictScopes.length, 1);
    assert.ok((strictScopes[0] ?? 0) > 0, 'read inside the request');
  });

  test('cacheTtlMs 0 turns the result cache off', async () => {
    const { service } = setup({ cacheTtlMs: 0 });
    await service.rankCandidates('v1', 3, null, NO_CE);
    const again = await service.rankCandidates('v1', 3, null, NO_CE);
    assert.equal(again.meta.cached, false);
  });

  test("the cache keeps the ranked list only: fairness and the constraint follow each request's k", async () => {
    const { service, log } = setup();
    const five = await service.rankCandidates('v1', 5, null, NO_CE);
    const calls = log.length;
    const two = await service.rankCandidates('v1', 2, null, NO_CE);
    assert.equal(two.meta.cached, true);
    assert.equal(log.length, calls, 'no read for another k');
    assert.equal(five.fairness?.k, 5);
    assert.equal(two.fairness?.k, 2, "not the first request's k");
    assert.deepEqual(two.fairness, (await setup().service.rankCandidates('v1', 2, null, NO_CE)).fairness);
    assert.equal((await service.rankCandidates('v1', 5, null, NO_CE)).fairness?.k, 5);
    // The constraint re-orders by k: a cached list gives what a fresh computation gives.
    const constrained = { ...NO_CE, fairness: { minGroupShare: 0.5, group: 'GROUP_B' } };
    await service.rankCandidates('v1', 5, null, constrained);
    const cachedTwo = await service.rankCandidates('v1', 2, null, constrained);
    assert.equal(cachedTwo.meta.cached, true);
    const freshTwo = await setup().service.rankCandidates('v1', 2, null, constrained);
    assert.deepEqual(ids(cachedTwo), ids(freshTwo));
    assert.deepEqual(cachedTwo.constraint, freshTwo.constraint);
    assert.deepEqual(cachedTwo.fairness, freshTwo.fairness);
  });

  test('a cached answer reports the reused stage times apart from its own', async () => {
    const { service } = setup();
    const first = await service.rankCandidates('v1', 5, null, NO_CE);
    const again = await service.rankCandidates('v1', 5, null, NO_CE);
    assert.equal(first.meta.cached, false);
    assert.equal(again.meta.cached, true);
    for (const stage of ['retrieve', 'features', 'rerank', 'computed'] as const) {
      assert.equal(
        again.meta.timingsMs[stage],
        first.meta.timingsMs[stage],
        `${stage}: the reused computation's`,
      );
    }
    assert.ok(first.meta.timingsMs.computed >= first.meta.timingsMs.retrieve + first.meta.timingsMs.features);
    assert.ok(first.meta.timingsMs.total >= first.meta.timingsMs.computed);
  });

  test('every write (changed) and every part of the key gives a new computation', async () => {
    const log: string[] = [];
    const embedder = fakeEmbedder(log);
    const { service, repository, reranker } = setup({ embedder });
    const admin: RankingViewer = { role: 'ADMIN', organizationId: null };
    const recruiter: RankingViewer = { role: 'RECRUITER', organizationId: 'org-a' };
    const base = await service.rankCandidates('v1', 3, null, NO_CE);
    const fresh = (r: RankingResult, what: string) => assert.equal(r.meta.cached, false, what);
    assert.equal((await service.rankCandidates('v1', 3, null, NO_CE)).meta.cached, true);
    // data generation: a write since the ranking
    const generation = service.dataGeneration;
    service.changed();
    assert.equal(service.dataGeneration, generation + 1);
    fresh(await service.rankCandidates('v1', 3, null, NO_CE), 'after a write');
    // options, one at a time
    for (const [what, options] of [
      ['weights', { ...NO_CE, weights: { regionMatch: 0.5 } }],
      ['retrieveN', { ...NO_CE, retrieveN: 7 }],
      ['rerankM', { ...NO_CE, rerankM: 2 }],
      ['useReranker', {}],
      ['region', { ...NO_CE, region: 'north' }],
      ['excludeApplied', { ...NO_CE, excludeApplied: true }],
      ['fairness.attribute', { ...NO_CE, fairness: { attribute: 'ageBand' } }],
      ['fairness.minGroupShare', { ...NO_CE, fairness: { minGroupShare: 0.5 } }],
    ] as Array<[string, RankingOptions]>) {
      fresh(await service.rankCandidates('v1', 3, null, options), what);
      assert.equal((await service.rankCandidates('v1', 3, null, options)).meta.cached, true, `${what} again`);
    }
    // the viewer's scope
    fresh(await service.rankCandidates('v1', 3, null, { ...NO_CE, viewer: recruiter }), 'another scope');
    assert.equal(
      (await service.rankCandidates('v1', 3, null, { ...NO_CE, viewer: admin })).meta.cached,
      true,
    );
    // subject and side
    fresh(await service.rankVacancies('c1', 3, null, NO_CE), 'the other side');
    // the models' hashes: a model swapped under the service (same object, new file) is a new key
    assert.equal(base.meta.embeddingModel?.sha256, 'e'.repeat(64));
    const rerankerOn = await service.rankCandidates('v1', 3, null, {});
    assert.equal(rerankerOn.meta.cached, true, 'precondition: cached with the cross-encoder');
    (reranker.info as { sha256: string }).sha256 = 'q'.repeat(64);
    fresh(await service.rankCandidates('v1', 3, null, {}), 'another reranker');
    assert.equal(
      (await service.rankCandidates('v1', 3, null, NO_CE)).meta.cached,
      true,
      'not used: not in the key',
    );
    (embedder.info as { sha256: string }).sha256 = 'f'.repeat(64);
    fresh(await service.rankCandidates('v1', 3, null, NO_CE), 'another embedder');
    assert.ok(repository.log.length > 0);
  });

  test('a full cross-encoder queue refuses the ranking (SERVICE_OVERLOADED), never a partial one', async () => {
    const { service, reranker, log } = setup({ rerankerMaxWaiting: 2 });
    reranker.waiting = 2;
    const refusal = await service.rankCandidates('v1', 5, null, {}).then(
      () => assert.fail('a ranking was returned although the cross-encoder queue was full'),
      (error: unknown) => error,
    );
    assert.ok(refusal instanceof OverloadedError);
    assert.equal(refusal.code, 'SERVICE_OVERLOADED');
    assert.deepEqual(refusal.details, { resource: 'cross-encoder', retryAfterMs: 1000 });
    assert.match(refusal.message, /retry/);
    assert.match(refusal.message, /useReranker: false/);
    assert.ok(!log.includes('score'));
    // The fast mode is an explicit choice that needs no queue.
    const fast = await service.rankCandidates('v1', 5, null, NO_CE);
    assert.equal(fast.meta.reranked, 0);
    assert.deepEqual(fast.meta.stagesSkipped, ['cross-encoder: turned off by the request']);
    // Below the limit the ranking waits its turn and is the one an idle service gives.
    reranker.waiting = 1;
    const later = await service.rankCandidates('v1', 5, null, {});
    assert.equal(later.meta.cached, false, 'nothing was cached for the refused request');
    assert.equal(later.meta.reranked, 5);
    assert.deepEqual(stable(later), stable(await setup().service.rankCandidates('v1', 5, null, {})));
    assert.equal((await service.rankCandidates('v1', 5, null, {})).meta.cached, true);
  });

  test('pages follow the after cursor through one ranking', async () => {
    const { service } = setup();
    const all = await service.rankCandidates('v1', 5, null, NO_CE);
    const first = await service.rankCandidates('v1', 2, null, NO_CE);
    const second = await service.rankCandidates('v1', 2, first.cursorAt(1), NO_CE);
    const last = await service.rankCandidates('v1', 2, second.cursorAt(3), NO_CE);
    assert.deepEqual(ids(first), ids(all).slice(0, 2));
    assert.deepEqual(ids(second), ids(all).slice(2, 4));
    assert.deepEqual(ids(last), ids(all).slice(4));
    assert.deepEqual(
      second.items.map((i) => i.rank),
      [3, 4],
    );
    assert.equal(second.offset, 2);
    assert.equal(second.totalCount, 5);
    await assert.rejects(service.rankCandidates('v1', 2, 'not-a-cursor', NO_CE), BadUserInputError);
    assert.equal(second.rankingId, first.rankingId, 'pages of one ranking share its id');
    assert.equal(second.meta.rankingId, first.rankingId);
  });

  test('a cursor of a list, of another ranking or from before a write is BAD_USER_INPUT', async () => {
    const { service } = setup();
    const page = await service.rankCandidates('v1', 2, null, NO_CE);
    const cursor = page.cursorAt(1);
    const refusal = (after: string, options = NO_CE, id = 'v1') =>
      service.rankCandidates(id, 2, after, options).then(
        () => assert.fail('accepted'),
        (error: unknown) => {
          assert.ok(error instanceof BadUserInputError, String(error));
          assert.equal(error.details?.['argument'], 'after');
          return error.message;
        },
      );
    // A list's cursor (vacancies, candidates, occupations page by tg1 offsets) is not a ranking's.
    assert.match(await refusal(encodeCursor(1)), /not a ranking cursor/);
    // Other options, another subject, another side: another ranking.
    assert.match(await refusal(cursor, { ...NO_CE, weights: { regionMatch: 0.5 } }), /another ranking/);
    assert.match(await refusal(cursor, NO_CE, 'v2'), /another ranking/);
    await assert.rejects(service.rankVacancies('c1', 2, cursor, NO_CE), /another ranking/);
    // Another caller scope.
    await assert.rejects(
      service.rankCandidates('v1', 2, cursor, {
        ...NO_CE,
        viewer: { role: 'PARTNER', organizationId: 'o1' },
      }),
      /another ranking/,
    );
    // The same request still pages; after a write the old cursor is stale.
    assert.equal((await service.rankCandidates('v1', 2, cursor, NO_CE)).offset, 2);
    service.changed();
    assert.match(await refusal(cursor), /another ranking/);
    const fresh = await service.rankCandidates('v1', 2, null, NO_CE);
    assert.notEqual(fresh.rankingId, page.rankingId);
    // Another server run (the data generation restarts at 0 with the process) never takes it.
    assert.match(
      await setup()
        .service.rankCandidates('v1', 2, cursor, NO_CE)
        .then(
          () => 'accepted',
          (e: Error) => e.message,
        ),
      /another ranking/,
    );
  });

  test('with a minimum-group-share constraint the page size is part of the ranking', async () => {
    const { service } = setup();
    const fair = { ...NO_CE, fairness: { minGroupShare: 0.3 } };
    const five = await service.rankCandidates('v1', 2, null, fair);
    assert.notEqual(five.rankingId, (await service.rankCandidates('v1', 3, null, fair)).rankingId);
    assert.equal(five.rankingId, (await service.rankCandidates('v1', 2, five.cursorAt(1), fair)).rankingId);
    await assert.rejects(service.rankCandidates('v1', 3, five.cursorAt(1), fair), /another ranking/);
    // Without a constraint the order does not depend on k: one ranking for every page size.
    const plain = await service.rankCandidates('v1', 2, null, NO_CE);
    assert.equal(plain.rankingId, (await service.rankCandidates('v1', 3, null, NO_CE)).rankingId);
  });

  test('ties break by id, whatever order the reads return', async () => {
    const forward = await setup().service.rankCandidates('v1', 10, null, NO_CE);
    const reversed = await setup({ reverse: true }).service.rankCandidates('v1', 10, null, NO_CE);
    const c4 = forward.items.find((i) => i.id === 'c4');
    const c5 = forward.items.find((i) => i.id === 'c5');
    assert.ok(c4 && c5);
    assert.equal(c4.score, c5.score);
    assert.equal(c5.rank, c4.rank + 1);
    assert.deepEqual(stable(reversed), stable(forward));
    const withCe = await setup().service.rankCandidates('v1', 10, null, {});
    const withCeReversed = await setup({ reverse: true }).service.rankCandidates('v1', 10, null, {});
    assert.deepEqual(stable(withCeReversed), stable(withCe));
  });

  test('a minimum group share re-ranks the top k; groups stay aggregate', async () => {
    const { service } = setup();
    const plain = await service.rankCandidates('v1', 2, null, NO_CE);
    assert.deepEqual(ids(plain), ['c1', 'c4'], 'precondition: the top 2 hold no GROUP_B member');
    assert.equal(plain.constraint, null);
    const constrained = await service.rankCandidates('v1', 2, null, {
      ...NO_CE,
      fairness: { minGroupShare: 0.5, group: 'GROUP_B' },
    });
    assert.deepEqual(ids(constrained), ['c1', 'c5']);
    const constraint = constrained.constraint;
    assert.ok(constraint);
    assert.equal(constraint.applied, true);
    assert.equal(constraint.feasible, true);
    assert.equal(constraint.swaps, 1);
    assert.equal(constraint.scoreLoss, 0, 'c5 ties with c4');
    const groupB = constrained.fairness?.groups.find((g) => g.group === 'GROUP_B');
    assert.equal(groupB?.topKCount, 1);
    // The audit attribute never leaves per person.
    assert.doesNotMatch(JSON.stringify(constrained.items), /GROUP_/);
    await assert.rejects(
      service.rankCandidates('v1', 2, null, { fairness: { minGroupShare: 1.5 } }),
      BadUserInputError,
    );
  });

  test('a vacancy without skills or occupation says which stages could not run', async () => {
    const { service, log } = setup();
    const result = await service.rankCandidates('v2', 10, null, NO_CE);
    assert.deepEqual(result.meta.stagesSkipped, [
      'skill coverage: the vacancy lists no skills',
      'occupation match and ideal profile: the vacancy names no ESCO occupation',
      'cross-encoder: turned off by the request',
    ]);
    assert.ok(!log.includes('candidatesHoldingSkills'), 'no graph recall without essential skills');
    assert.ok(!log.includes('embed:passage'), 'no ideal profile without an occupation');
    assert.equal(result.meta.retrieved.graph, 0);
  });

  test('without models or complete vector indexes the stages are skipped and named', async () => {
    const bare = setup({ embedder: null, reranker: null });
    const result = await bare.service.rankCandidates('v1', 10, null, {});
    assert.deepEqual(result.meta.stagesSkipped, [
      'embeddings: no embedding model loaded',
      'cross-encoder: no reranker model loaded',
    ]);
    assert.equal(result.meta.retrieved.vector, 0);
    assert.equal(result.meta.retrieved.graph, 5);
    const indexing = setup({ embeddings: { isComplete: () => false } });
    const partial = await indexing.service.rankCandidates('v1', 10, null, NO_CE);
    assert.ok(!indexing.log.includes('nearest:candidate'));
    assert.equal(
      partial.meta.stagesSkipped[0],
      'vector retrieval: candidate embeddings are still being computed (graph recall only)',
    );
  });

  test('bad arguments and unknown vacancies are refused', async () => {
    const { service } = setup();
    await assert.rejects(service.rankCandidates('nope', 5, null, {}), NotFoundError);
    await assert.rejects(service.rankCandidates('bad id!', 5, null, {}), BadUserInputError);
    await assert.rejects(service.rankCandidates('v1', 0, null, {}), {
      name: 'BadUserInputError',
      message: 'k must be an integer between 1 and 100 (got 0)',
    });
    await assert.rejects(service.rankVacancies('bad id!', 5, null, {}), (error: unknown) => {
      assert.ok(error instanceof BadUserInputError);
      assert.equal(error.details?.argument, 'candidateId');
      return true;
    });
    await assert.rejects(service.rankCandidates('v1', 101, null, {}), BadUserInputError);
    await assert.rejects(service.rankCandidates('v1', 5, null, { retrieveN: 0 }), BadUserInputError);
    await assert.rejects(service.rankCandidates('v1', 5, null, { rerankM: 201 }), BadUserInputError);
    await assert.rejects(
      service.rankCandidates('v1', 5, null, { weights: { regionMatch: -1 } }),
      BadUserInputError,
    );
  });
});

describe('rankVacancies', () => {
  test('runs the same stages from the candidate side, without a fairness audit', async () => {
    const { service, log, reranker } = setup();
    const result = await service.rankVacancies('c1', 10, null, {});
    assert.deepEqual(log, [
      'escoVersion',
      'candidateContext',
      'vacanciesForSkillsOf',
      'nearest:vacancy',
      'vacancyFeatures',
      'vacancyRequirements',
      'candidateEvidence',
      'score',
    ]);
    // Default status OPEN: the closed v3 is retrieved but filtered out.
    assert.deepEqual([...ids(result)].sort(), ['v1', 'v2']);
    assert.equal(ids(result)[0], 'v1');
    assert.deepEqual(result.meta.retrieved, { vector: 3, graph: 2, pool: 3, afterFilters: 2 });
    assert.equal(result.fairness, null);
    assert.equal(result.fairnessAttribute, null);
    assert.equal(result.constraint, null);
    assert.equal(result.meta.timingsMs.fairness, 0);
    assert.deepEqual(result.meta.stagesSkipped, [
      "fairness: audited for candidate rankings (rankCandidates), not for one person's vacancy list",
    ]);
    // The vacancy is the cross-encoder's query, the candidate its passage.
    // The cross-encoder reads the candidate's work and skills, not the summary's prose (issue 16 item 3).
    assert.ok(
      reranker.pairs.every(
        ([, passage]) =>
          passage === 'Experience as software developer. Skills: python, sql, docker.' &&
          !passage.includes('Senior data engineer.'),
      ),
    );
    assert.match(result.items[0]?.explanation ?? '', /^Covers 2 of 2 essential skills/);
  });

  test('vacancyStatus, region and excludeApplied filter the pool', async () => {
    const { service, repository } = setup();
    assert.deepEqual(
      ids(await service.rankVacancies('c1', 10, null, { ...NO_CE, vacancyStatus: 'CLOSED' })),
      ['v3'],
    );
    const any = await service.rankVacancies('c1', 10, null, { ...NO_CE, vacancyStatus: null });
    assert.deepEqual([...ids(any)].sort(), ['v1', 'v2', 'v3']);
    const north = await service.rankVacancies('c1', 10, null, {
      ...NO_CE,
      vacancyStatus: null,
      region: 'north',
    });
    assert.deepEqual([...ids(north)].sort(), ['v1', 'v3']);
    const notApplied = await service.rankVacancies('c3', 10, null, { ...NO_CE, excludeApplied: true });
    assert.ok(!ids(notApplied).includes('v2'), 'c3 applied to v2');
    // Filtering (the default status included) over-fetches; no filter at all fetches retrieveN.
    await service.rankVacancies('c1', 10, null, { ...NO_CE, vacancyStatus: null, retrieveN: 9 });
    assert.deepEqual(repository.nearestN, [1000, 500, 1000, 1000, 9]);
  });

  test('caches, pages and refuses like rankCandidates, with its own cache entries', async () => {
    const { service } = setup();
    const first = await service.rankVacancies('c1', 1, null, NO_CE);
    const second = await service.rankVacancies('c1', 1, first.cursorAt(0), NO_CE);
    assert.equal(second.meta.cached, true);
    assert.deepEqual([...ids(first), ...ids(second)], ids(await service.rankVacancies('c1', 2, null, NO_CE)));
    const candidates = await service.rankCandidates('v1', 1, null, NO_CE);
    assert.equal(candidates.meta.cached, false);
    await assert.rejects(service.rankVacancies('c404', 5, null, {}), NotFoundError);
    await assert.rejects(service.rankVacancies('c1', 5, null, { retrieveN: 5001 }), BadUserInputError);
  });
});

describe('the viewer (issue 15 items 2, 3)', () => {
  const recruiterA: RankingViewer = { role: 'RECRUITER', organizationId: 'org-a' };
  const partnerA: RankingViewer = { role: 'PARTNER', organizationId: 'org-a' };
  const admin: RankingViewer = { role: 'ADMIN', organizationId: null };
  const history = (r: RankingResult) =>
    Object.fromEntries(
      r.items.map((i) => [i.id, i.breakdown.find((b) => b.name === 'outcomeHistory')?.value ?? null]),
    );

  test('outcome history counts only the applications the caller may see', async () => {
    const { service } = setup();
    // c1 applied to v1 (org-a, INTERVIEW), c3 to v2 (org-b, HIRED).
    const all = history(await service.rankCandidates('v1', 10, null, { ...NO_CE, viewer: admin }));
    assert.equal(all.c1, 2 / 3);
    assert.equal(all.c3, 2 / 3);
    const own = history(await service.rankCandidates('v1', 10, null, { ...NO_CE, viewer: recruiterA }));
    assert.equal(own.c1, 2 / 3);
    assert.equal(own.c3, 0.5, "org-b's application is not counted for org-a");
    const partner = history(await service.rankCandidates('v1', 10, null, { ...NO_CE, viewer: partnerA }));
    assert.ok(
      Object.values(partner).every((v) => v === null),
      'hidden from partners',
    );
    // No viewer: an in-process caller, trusted as ADMIN.
    assert.deepEqual(history(await service.rankCandidates('v1', 10, null, NO_CE)), all);
  });

  test('the cache keeps each scope apart, and forget drops rankings that list an id', async () => {
    const { service } = setup();
    await service.rankCandidates('v1', 10, null, { ...NO_CE, viewer: admin });
    const recruiter = await service.rankCandidates('v1', 10, null, { ...NO_CE, viewer: recruiterA });
    assert.equal(recruiter.meta.cached, false);
    assert.equal(
      (await service.rankCandidates('v1', 10, null, { ...NO_CE, viewer: recruiterA })).meta.cached,
      true,
    );
    service.forget('c1');
    assert.equal(
      (await service.rankCandidates('v1', 10, null, { ...NO_CE, viewer: recruiterA })).meta.cached,
      false,
    );
  });

  test('group targets are ADMIN only; excludeApplied needs applications in view', async () => {
    const { service } = setup();
    for (const viewer of [recruiterA, partnerA]) {
      for (const fairness of [
        { minGroupShare: 1 },
        { group: 'GROUP_B' },
        { group: 'GROUP_B', minGroupShare: 1 },
      ]) {
        await assert.rejects(
          service.rankCandidates('v1', 1, null, { ...NO_CE, viewer, fairness }),
          ForbiddenError,
        );
      }
    }
    await assert.rejects(
      service.rankCandidates('v1', 5, null, { ...NO_CE, viewer: partnerA, excludeApplied: true }),
      (error: unknown) => error instanceof ForbiddenError && /excludeApplied/.test(error.message),
    );
    const open = await service.rankCandidates('v1', 5, null, {
      ...NO_CE,
      viewer: recruiterA,
      excludeApplied: true,
    });
    assert.ok(!ids(open).includes('c1'), 'c1 applied to v1');
    const constrained = await service.rankCandidates('v1', 1, null, {
      ...NO_CE,
      viewer: admin,
      fairness: { group: 'GROUP_B', minGroupShare: 1 },
    });
    assert.deepEqual(ids(constrained), ['c5']);
  });

  test('fairness figures are withheld from non-ADMIN callers when a group is small', async () => {
    const { service } = setup({ minGroupSize: 2 });
    const adminView = await service.rankCandidates('v1', 4, null, { ...NO_CE, viewer: admin });
    assert.ok((adminView.fairness?.groups.length ?? 0) > 0);
    const recruiter = await service.rankCandidates('v1', 4, null, { ...NO_CE, viewer: recruiterA });
    assert.deepEqual(recruiter.fairness?.groups, []);
    assert.equal(recruiter.fairness?.disparateImpactRatio, null);
    assert.match(
      recruiter.fairness?.notes.join(' ') ?? '',
      /withheld for your role: a group of the pool has fewer than 2/,
    );
    assert.deepEqual(ids(recruiter), ids(adminView), 'the ranking itself is the same');
  });

  test('weights that are not finite or whose sum overflows are bad input', async () => {
    const { service } = setup();
    for (const weights of [
      { regionMatch: 1e308, essentialCoverage: 1e308 },
      { regionMatch: Number.POSITIVE_INFINITY },
      { crossEncoder: Number.NaN },
      { embeddingCosine: 2e6 },
    ]) {
      await assert.rejects(
        service.rankCandidates('v1', 5, null, { ...NO_CE, weights }),
        (error: unknown) => error instanceof BadUserInputError && /options\.weights/.test(error.message),
      );
    }
    const big = await service.rankCandidates('v1', 5, null, { ...NO_CE, weights: { regionMatch: 9e5 } });
    assert.ok(big.items.every((i) => Number.isFinite(i.score)));
  });
});
