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
    [3, 2, 1.5],
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
    ['{ skillGap(candidateId: "gap-1", target: {}) { targetKind } }', 'BAD_USER_INPUT'],
    [
      `{ skillGap(candidateId: "gap-1", target: { vacancyId: "v-a", occupationUri: "${E}/occupation/occ-ds" }) { targetKind } }`,
      'BAD_USER_INPUT',
    ],
    ['{ skillGap(candidateId: "bad id", target: { vacancyId: "v-a" }) { targetKind } }', 'BAD_USER_INPUT'],
    ['{ careerPaths(candidateId: "gap-1", k: 0) { paths { weightedCoverage } } }', 'BAD_USER_INPUT'],
    [
      '{ careerPaths(candidateId: "gap-1", filter: { iscoGroup: "25x" }) { paths { weightedCoverage } } }',
      'BAD_USER_INPUT',
    ],
    ['{ skillDemand(filter: { occupationUri: "nope" }) { threshold } }', 'BAD_USER_INPUT'],
    ['{ occupationSkillProfile(uri: "nope") { suppressed } }', 'BAD_USER_INPUT'],
    ['{ threeWayGap(candidateId: "gap-1", vacancyId: "v-zzz") { occupation { uri } } }', 'NOT_FOUND'],
  ];
  for (const [query, code] of cases) assert.deepEqual(errorCodes(await gql(app.url, query)), [code], query);
});
