/**
 * Skill-gap analytics over HTTP on a hand-built fixture (ESCO subset in tests/fixtures/esco-mini):
 * exact expected gaps including hierarchy and related-skill credit, small-group suppression, bad input.
 *
 * Fixture facts used below: occupations data scientist (2511.4: essential Python, statistics,
 * machine learning; optional SQL, visualise data) and data engineer (2511.5: essential SQL, Python;
 * optional computer programming). Python is narrower than computer programming; machine learning
 * is related to statistics. Specificity = 1 + ln((N+1)/(df+1)) with N = 3 occupations.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import type { Neo4jGateway } from '../../src/graph/gateway.js';
import { importEsco } from '../../src/import/esco/importEsco.js';
import { errorCodes, gql } from '../support/graphqlClient.js';
import { createTestGateway, FIXTURES, scratchUri, silentLog, testConfig } from '../support/testEnv.js';

const E = 'http://data.europa.eu/esco';
const spec = (df: number) => 1 + Math.log(4 / (df + 1));
let app: App;
let gateway: Neo4jGateway;

async function must<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await gql<T>(app.url, query, variables);
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data as T;
}

beforeAll(async () => {
  gateway = createTestGateway(scratchUri());
  await gateway.runAutoCommit('admin/wipe');
  await importEsco(gateway, {
    sources: [path.join(FIXTURES, 'esco-mini')],
    batchSize: 100,
    version: 'fixture',
  });
  app = await startApp(
    testConfig(scratchUri(), { DEMO_AUTOLOAD: 'false', PRIVACY_MIN_GROUP_SIZE: '2' }),
    silentLog,
  );
  const upsertC = 'mutation($i: CandidateInput!) { upsertCandidate(input: $i) { id } }';
  const upsertV = 'mutation($i: VacancyInput!) { upsertVacancy(input: $i) { id } }';
  await must(upsertC, {
    i: {
      id: 'gap-1',
      displayName: 'G',
      region: 'R1',
      skills: [{ label: 'computer programming' }, { label: 'statistics' }],
    },
  });
  await must(upsertC, {
    i: {
      id: 'gap-2',
      displayName: 'H',
      region: 'R1',
      skills: [{ label: 'SQL' }, { label: 'Python' }, { label: 'statistics' }],
    },
  });
  // Works as a data engineer already (and is stored with another spelling of the region).
  await must(upsertC, {
    i: {
      id: 'gap-3',
      displayName: 'J',
      region: 'r1',
      skills: [{ label: 'Python' }, { label: 'statistics' }],
      occupations: [{ label: 'data engineer', years: 3 }],
    },
  });
  for (const id of ['v-a', 'v-b', 'v-c']) {
    await must(upsertV, {
      i: {
        id,
        title: 'Data scientist',
        region: 'R1',
        occupation: { code: '2511.4' },
        skills: [
          { label: 'SQL', relation: 'ESSENTIAL' },
          { label: 'statistics', relation: 'ESSENTIAL' },
          ...(id === 'v-a' ? [{ label: 'visualise data', relation: 'OPTIONAL' }] : []),
        ],
      },
    });
  }
});
afterAll(async () => {
  await app.stop();
  await gateway.close();
});

const GAP = `query($c: ID!, $t: GapTargetInput!) { skillGap(candidateId: $c, target: $t) {
  targetKind matched { uri }
  missingEssential { skill { uri } relation coverageGain }
  missingOptional { skill { uri } }
  partialMatches { required { uri } held { uri } kind credit }
  coverage { essential optional weightedEssential weightedOptional essentialCount optionalCount } } }`;

interface Gap {
  skillGap: {
    targetKind: string;
    matched: Array<{ uri: string }>;
    missingEssential: Array<{ skill: { uri: string }; coverageGain: number }>;
    partialMatches: Array<{ required: { uri: string }; held: { uri: string }; kind: string; credit: number }>;
    coverage: { essential: number; weightedEssential: number; optional: number; essentialCount: number };
  };
}

test('gap against an occupation, with hierarchy and related-skill credit', async () => {
  const { skillGap: g } = await must<Gap>(GAP, {
    c: 'gap-1',
    t: { occupationUri: `${E}/occupation/occ-ds` },
  });
  assert.equal(g.targetKind, 'OCCUPATION');
  assert.deepEqual(
    g.matched.map((s) => s.uri),
    [`${E}/skill/sk-stats`],
  );
  assert.deepEqual(
    g.partialMatches
      .map((p) => [p.required.uri.split('/').pop(), p.held.uri.split('/').pop(), p.kind, p.credit])
      .sort(),
    [
      ['sk-ml', 'sk-stats', 'RELATED', 0.35],
      ['sk-python', 'sk-prog', 'BROADER', 0.5],
    ],
  );
  const [python, stats, ml] = [spec(2), spec(1), spec(1)];
  const expected = (python * 0.5 + stats + ml * 0.35) / (python + stats + ml);
  assert.ok(
    Math.abs(g.coverage.weightedEssential - expected) < 1e-9,
    `${g.coverage.weightedEssential} vs ${expected}`,
  );
  assert.equal(g.coverage.essential, 1 / 3);
  assert.equal(g.coverage.optional, 0);
  assert.equal(g.coverage.essentialCount, 3);
  // Missing essentials ordered by what they would add: ML (0.65 of its weight left) before Python (0.5).
  assert.deepEqual(
    g.missingEssential.map((m) => m.skill.uri.split('/').pop()),
    ['sk-ml', 'sk-python'],
  );
  assert.ok(
    Math.abs((g.missingEssential[0]?.coverageGain ?? 0) - (ml * 0.65) / (python + stats + ml)) < 1e-9,
  );
});

test('gap against a vacancy, and the three-way view', async () => {
  const { skillGap: g } = await must<Gap>(GAP, { c: 'gap-1', t: { vacancyId: 'v-a' } });
  assert.equal(g.targetKind, 'VACANCY');
  assert.equal(g.coverage.essential, 0.5);
  const three = await must<{
    threeWayGap: {
      occupation: { code: string };
      vacancySkillsBeyondEsco: Array<{ skill: { uri: string }; relation: string }>;
      escoEssentialsOmitted: Array<{ uri: string }>;
      againstOccupation: { coverage: { essential: number } };
    };
  }>(
    `{ threeWayGap(candidateId: "gap-1", vacancyId: "v-a") { occupation { code }
        vacancySkillsBeyondEsco { skill { uri } relation } escoEssentialsOmitted { uri }
        againstVacancy { coverage { essential } } againstOccupation { coverage { essential } } } }`,
  );
  const t = three.threeWayGap;
  assert.equal(t.occupation.code, '2511.4');
  // SQL is optional in ESCO for data scientists, so the vacancy asks nothing beyond the profile.
  assert.deepEqual(t.vacancySkillsBeyondEsco, []);
  assert.deepEqual(t.escoEssentialsOmitted.map((s) => s.uri.split('/').pop()).sort(), ['sk-ml', 'sk-python']);
  assert.equal(t.againstOccupation.coverage.essential, 1 / 3);
});

test('career paths rank occupations by weighted coverage and name the skills that open them', async () => {
  const res = await must<{
    careerPaths: {
      paths: Array<{ occupation: { code: string }; missingEssentialCount: number }>;
      skillsOpeningMostPaths: Array<{ skill: { uri: string }; paths: number }>;
    };
  }>(
    '{ careerPaths(candidateId: "gap-2", k: 5) { paths { occupation { code } missingEssentialCount } skillsOpeningMostPaths { skill { uri } paths } } }',
  );
  assert.deepEqual(
    res.careerPaths.paths.map((p) => [p.occupation.code, p.missingEssentialCount]),
    [
      ['2511.5', 0],
      ['2511.4', 1],
    ],
  );
  assert.deepEqual(
    res.careerPaths.skillsOpeningMostPaths.map((s) => [s.skill.uri.split('/').pop(), s.paths]),
    [['sk-ml', 1]],
  );
});

test('skill demand suppresses groups below the threshold and says so', async () => {
  const res = await must<{
    skillDemand: {
      vacancies: number;
      threshold: number;
      suppressedCount: number;
      note: string;
      items: Array<{
        skill: { uri: string };
        demand: number;
        supply: number | null;
        ratio: number | null;
        suppressed: boolean;
      }>;
    };
  }>(
    '{ skillDemand(filter: { region: "R1" }) { vacancies threshold suppressedCount note items { skill { uri } demand supply ratio suppressed } } }',
  );
  // The deprecated `items` and `ratio` keep their values (demand / supply).
  const d = res.skillDemand;
  assert.equal(d.threshold, 2);
  assert.equal(d.vacancies, 3);
  const bySkill: Record<string, (typeof d.items)[number]> = Object.fromEntries(
    d.items.map((i) => [i.skill.uri.split('/').pop() ?? '', i]),
  );
  assert.deepEqual(
    Object.keys(bySkill).sort(),
    ['sk-sql', 'sk-stats'],
    'visualise data (1 vacancy) is withheld',
  );
  assert.deepEqual(
    [bySkill['sk-stats']?.demand, bySkill['sk-stats']?.supply, bySkill['sk-stats']?.ratio],
    [3, 3, 1],
  );
  assert.deepEqual(
    [bySkill['sk-sql']?.supply, bySkill['sk-sql']?.ratio, bySkill['sk-sql']?.suppressed],
    [null, null, true],
  );
  assert.equal(d.suppressedCount, 2);
  assert.match(d.note, /smaller than 2/);
});

test('occupation profile: skills asked beyond ESCO and ESCO essentials rarely asked', async () => {
  const res = await must<{
    occupationSkillProfile: {
      vacancies: number;
      suppressed: boolean;
      askedBeyondProfile: Array<{ skill: { uri: string } }>;
      rarelyAsked: Array<{ skill: { uri: string }; askedBy: number }>;
    };
  }>(
    `{ occupationSkillProfile(uri: "${E}/occupation/occ-ds") { vacancies suppressed askedBeyondProfile { skill { uri } } rarelyAsked { skill { uri } askedBy } } }`,
  );
  const p = res.occupationSkillProfile;
  assert.equal(p.vacancies, 3);
  assert.equal(p.suppressed, false);
  assert.deepEqual(p.askedBeyondProfile, []);
  assert.deepEqual(
    p.rarelyAsked.map((s) => [s.skill.uri.split('/').pop(), s.askedBy]),
    [
      ['sk-ml', 0],
      ['sk-python', 0],
    ],
  );
  const few = await must<{ occupationSkillProfile: { suppressed: boolean; vacancies: number | null } }>(
    `{ occupationSkillProfile(uri: "${E}/occupation/occ-de") { suppressed vacancies } }`,
  );
  assert.deepEqual(few.occupationSkillProfile, { suppressed: true, vacancies: null });
});

test('bad input: NOT_FOUND and BAD_USER_INPUT', async () => {
  const cases: Array<[string, string]> = [
    ['{ skillGap(candidateId: "nobody", target: { vacancyId: "v-a" }) { targetKind } }', 'NOT_FOUND'],
    ['{ skillGap(candidateId: "gap-1", target: { vacancyId: "v-zzz" }) { targetKind } }', 'NOT_FOUND'],
    [
      `{ skillGap(candidateId: "gap-1", target: { occupationUri: "${E}/occupation/none" }) { targetKind } }`,
      'NOT_FOUND',
    ],
    ['{ skillGap(candidateId: "gap-1", target: {}) { targetKind } }', 'GRAPHQL_VALIDATION_FAILED'],
    [
      `{ skillGap(candidateId: "gap-1", target: { vacancyId: "v-a", occupationUri: "${E}/occupation/occ-ds" }) { targetKind } }`,
      'GRAPHQL_VALIDATION_FAILED',
    ],
    ['{ skillGap(candidateId: "bad id", target: { vacancyId: "v-a" }) { targetKind } }', 'BAD_USER_INPUT'],
    ['{ careerPaths(candidateId: "gap-1", k: 0) { paths { weightedCoverage } } }', 'BAD_USER_INPUT'],
    [
      '{ careerPaths(candidateId: "gap-1", filter: { iscoGroup: "25x" }) { paths { weightedCoverage } } }',
      'BAD_USER_INPUT',
    ],
    ['{ skillDemand(filter: { occupationUri: "nope" }) { threshold } }', 'BAD_USER_INPUT'],
    [`{ skillDemand(filter: { occupationUri: "${E}/occupation/none" }) { threshold } }`, 'NOT_FOUND'],
    ['{ skillDemand(filter: { iscoGroup: "9999" }) { threshold } }', 'NOT_FOUND'],
    ['{ skillDemand(filter: { region: "Atlantis" }) { threshold } }', 'NOT_FOUND'],
    [
      '{ careerPaths(candidateId: "gap-1", filter: { iscoGroup: "9999" }) { paths { weightedCoverage } } }',
      'NOT_FOUND',
    ],
    ['{ occupationSkillProfile(uri: "nope") { suppressed } }', 'BAD_USER_INPUT'],
    ['{ threeWayGap(candidateId: "gap-1", vacancyId: "v-zzz") { occupation { uri } } }', 'NOT_FOUND'],
  ];
  for (const [query, code] of cases) assert.deepEqual(errorCodes(await gql(app.url, query)), [code], query);
});

test('gap names: matchedSkills / missingEssentialSkills / missingOptionalSkills, the old names deprecated aliases', async () => {
  const both = await must<{
    skillGap: Record<string, Array<{ uri?: string; skill?: { uri: string } }>>;
  }>(
    `query($c: ID!, $t: GapTargetInput!) { skillGap(candidateId: $c, target: $t) {
      matchedSkills { uri } matched { uri }
      missingEssentialSkills { skill { uri } } missingEssential { skill { uri } }
      missingOptionalSkills { skill { uri } } missingOptional { skill { uri } } } }`,
    { c: 'gap-1', t: { occupationUri: `${E}/occupation/occ-ds` } },
  );
  const g = both.skillGap;
  assert.deepEqual(g.matchedSkills, g.matched);
  assert.deepEqual(g.missingEssentialSkills, g.missingEssential);
  assert.deepEqual(g.missingOptionalSkills, g.missingOptional);
  assert.ok((g.matchedSkills?.length ?? 0) > 0 && (g.missingEssentialSkills?.length ?? 0) > 0);
  const type = await must<{
    __type: { fields: Array<{ name: string; isDeprecated: boolean; deprecationReason: string | null }> };
  }>(
    '{ __type(name: "SkillGap") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }',
  );
  const byName = Object.fromEntries(type.__type.fields.map((f) => [f.name, f]));
  assert.match(byName.matched?.deprecationReason ?? '', /Use `matchedSkills`/);
  assert.match(byName.missingEssential?.deprecationReason ?? '', /Use `missingEssentialSkills`/);
  assert.match(byName.missingOptional?.deprecationReason ?? '', /Use `missingOptionalSkills`/);
  assert.equal(byName.matchedSkills?.isDeprecated, false);
});

test('GapTargetInput is @oneOf: both keys or neither is refused before anything runs, with a clear message', async () => {
  const typed = await must<{ __type: { isOneOf: boolean } }>(
    '{ __type(name: "GapTargetInput") { isOneOf } }',
  );
  assert.equal(typed.__type.isOneOf, true);
  const literal = await gql(
    app.url,
    `{ skillGap(candidateId: "gap-1", target: { vacancyId: "v-a", occupationUri: "${E}/occupation/occ-ds" }) { targetKind } }`,
  );
  assert.deepEqual(errorCodes(literal), ['GRAPHQL_VALIDATION_FAILED']);
  assert.match(literal.errors?.[0]?.message ?? '', /GapTargetInput.*exactly one key/);
  assert.match(
    (await gql(app.url, '{ skillGap(candidateId: "gap-1", target: {}) { targetKind } }')).errors?.[0]
      ?.message ?? '',
    /GapTargetInput.*exactly one key/,
  );
  const query = 'query($t: GapTargetInput!) { skillGap(candidateId: "gap-1", target: $t) { targetKind } }';
  for (const t of [{}, { vacancyId: 'v-a', occupationUri: `${E}/occupation/occ-ds` }, { vacancyId: null }]) {
    const res = await gql(app.url, query, { t });
    assert.deepEqual(errorCodes(res), ['BAD_USER_INPUT'], JSON.stringify(t));
    assert.match(res.errors?.[0]?.message ?? '', /exactly one key|must be non-null/i, JSON.stringify(t));
    assert.equal(res.data?.skillGap ?? null, null);
  }
});

test('careerPaths never proposes an occupation the candidate works or worked as', async () => {
  const paths = async (c: string) =>
    (
      await must<{ careerPaths: { paths: Array<{ occupation: { code: string } }> } }>(
        'query($c: ID!) { careerPaths(candidateId: $c, k: 10) { paths { occupation { code } } } }',
        { c },
      )
    ).careerPaths.paths.map((p) => p.occupation.code);
  // gap-3 holds Python, an essential of data engineer (2511.5), but works as one already.
  assert.deepEqual(await paths('gap-3'), ['2511.4']);
  // gap-2 never worked as one: data engineer is their closest path.
  assert.equal((await paths('gap-2'))[0], '2511.5');
});

test('skillDemand: the documented ratio, sort orders, Relay paging bound to the query, regions case-insensitive', async () => {
  const Q = `query($f: SkillDemandFilter, $s: SkillDemandSort, $n: Int, $a: String) {
    skillDemand(filter: $f, sort: $s, first: $n, after: $a) {
      vacancies candidates regions sort totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges { cursor node { skill { uri } demand essentialDemand weightedDemand supply supplyRatio candidatesPerOpening suppressed } } } }`;
  interface Demand {
    skillDemand: {
      vacancies: number;
      candidates: number;
      regions: string[];
      sort: string;
      totalCount: number;
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string };
      edges: Array<{
        cursor: string;
        node: {
          skill: { uri: string };
          weightedDemand: number;
          supply: number | null;
          supplyRatio: number | null;
          candidatesPerOpening: number | null;
          suppressed: boolean;
        };
      }>;
    };
  }
  const ask = (f: Record<string, unknown>, s?: string, n?: number, a?: string) =>
    must<Demand>(Q, { f, s, n, a });
  const all = (await ask({ region: 'r1' })).skillDemand;
  // Both spellings of R1 ("R1", "r1"): 3 open vacancies, 3 candidates.
  assert.deepEqual([all.vacancies, all.candidates, all.regions, all.sort], [3, 3, ['R1', 'r1'], 'SHORTAGE']);
  assert.equal(all.totalCount, 2);
  const stats = all.edges.find((e) => e.node.skill.uri.endsWith('sk-stats'))?.node;
  // supplyRatio = (3 / 3) / (3 / 3): every candidate holds it and every vacancy asks it.
  assert.deepEqual(
    [stats?.weightedDemand, stats?.supply, stats?.supplyRatio, stats?.candidatesPerOpening],
    [3, 3, 1, 1],
  );
  // SQL has one holder (below the threshold 2): suppressed, and the scarcest under SHORTAGE.
  assert.deepEqual(
    all.edges.map((e) => [e.node.skill.uri.split('/').pop(), e.node.suppressed]),
    [
      ['sk-sql', true],
      ['sk-stats', false],
    ],
  );
  const surplus = (await ask({ region: 'R1' }, 'SURPLUS')).skillDemand;
  assert.deepEqual(
    surplus.edges.map((e) => e.node.skill.uri.split('/').pop()),
    ['sk-stats', 'sk-sql'],
  );
  const one = (await ask({ region: 'R1' }, 'SHORTAGE', 1)).skillDemand;
  assert.deepEqual(
    [one.edges.length, one.pageInfo.hasNextPage, one.pageInfo.hasPreviousPage],
    [1, true, false],
  );
  const two = (await ask({ region: 'R1' }, 'SHORTAGE', 1, one.pageInfo.endCursor)).skillDemand;
  assert.deepEqual(
    [...one.edges, ...two.edges].map((e) => e.node.skill.uri.split('/').pop()),
    ['sk-sql', 'sk-stats'],
  );
  assert.deepEqual([two.pageInfo.hasNextPage, two.pageInfo.hasPreviousPage], [false, true]);
  const foreign = await gql(app.url, Q, {
    f: { region: 'R1' },
    s: 'VOLUME',
    n: 1,
    a: one.pageInfo.endCursor,
  });
  assert.deepEqual(errorCodes(foreign), ['BAD_USER_INPUT']);
  assert.match(foreign.errors?.[0]?.message ?? '', /another skillDemand query/);
  const regions = await must<{
    regions: Array<{ name: string; spellings: string[]; openVacancies: number; candidates: number }>;
  }>('{ regions { name spellings openVacancies candidates } }');
  assert.deepEqual(regions.regions, [
    { name: 'R1', spellings: ['R1', 'r1'], openVacancies: 3, candidates: 3 },
  ]);
});

test('introspection: each root field names the roles that may call it', async () => {
  const res = await must<{
    __schema: { queryType: { fields: Array<{ name: string; description: string }> } };
  }>('{ __schema { queryType { fields { name description } } } }');
  const byName = Object.fromEntries(res.__schema.queryType.fields.map((f) => [f.name, f.description]));
  assert.match(byName.skillGap ?? '', /Roles: RECRUITER, ANALYST, ADMIN\./);
  assert.match(byName.candidates ?? '', /Roles: ADMIN\./);
  assert.match(byName.occupation ?? '', /Roles: ANONYMOUS, RECRUITER, PARTNER, ANALYST, ADMIN\./);
  for (const f of res.__schema.queryType.fields) assert.match(f.description, /^Roles: /m, f.name);
});
