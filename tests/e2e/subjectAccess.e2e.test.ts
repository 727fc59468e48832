/**
 * Subject access over HTTP (issue 15 item 4): a recruiter reads a person's fields through a gap,
 * a three-way gap or a career path only for a candidate `candidate(id)` would return to them (one
 * who applied to their organization), whatever the target; their own applicants still work, and
 * ADMIN is not scoped. Refusals come from the access layer before the root resolver runs: FORBIDDEN
 * and a null root field. An analyst runs the analyses of their README section (skillGap,
 * threeWayGap, careerPaths) on any candidate, who comes back pseudonymised (an id of the analyst's
 * own, no name, summary or applications on any path); `candidate(id)` stays closed to them.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { SignJWT } from 'jose';
import { startApp, type App } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { errorCodes, gql, type Credentials } from '../support/graphqlClient.js';
import { pseudonymFor } from '../../src/security/pseudonym.js';
import { escoUri, silentLog, TEST_API_KEYS, testConfig } from '../support/testEnv.js';

const JWT_SECRET = 'e2e-subject-secret-with-at-least-32-characters';

let app: App;
let config: Config;
let recruiter: Credentials;
let analyst: Credentials;
let partner: Credentials;
let orgA: string;
let vacA: string;
let occupationA: string;
let applicantA: string;
let outsiderA: string;

function jwt(role: string, org: string, sub: string): Promise<string> {
  return new SignJWT({ role, org })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setAudience('talentgraph')
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(JWT_SECRET));
}

beforeAll(async () => {
  config = testConfig(escoUri(), { API_KEYS: TEST_API_KEYS, JWT_SECRET, JWT_AUDIENCE: 'talentgraph' });
  app = await startApp(config, silentLog);
  const res = await gql<{
    vacancies: {
      nodes: Array<{
        id: string;
        organization: { id: string } | null;
        occupation: { uri: string } | null;
        applications: Array<{ candidate: { id: string } | null }>;
      }>;
    };
  }>(
    app.url,
    '{ vacancies(first: 100) { nodes { id organization { id } occupation { uri } applications { candidate { id } } } } }',
  );
  const nodes = res.data?.vacancies.nodes ?? [];
  const own = nodes.find((v) => v.organization && v.occupation && v.applications.length > 0);
  assert.ok(own?.organization && own.occupation, 'a vacancy with an occupation and applicants');
  vacA = own.id;
  occupationA = own.occupation.uri;
  applicantA = own.applications[0]?.candidate?.id ?? '';
  orgA = own.organization.id;
  const applicantsOfA = new Set(
    nodes
      .filter((v) => v.organization?.id === orgA)
      .flatMap((v) => v.applications.map((a) => a.candidate?.id)),
  );
  const cands = await gql<{ candidates: { nodes: Array<{ id: string }> } }>(
    app.url,
    '{ candidates(first: 100) { nodes { id } } }',
  );
  outsiderA = cands.data?.candidates.nodes.find((c) => !applicantsOfA.has(c.id))?.id ?? '';
  assert.ok(applicantA && outsiderA);
  recruiter = { token: await jwt('RECRUITER', orgA, 'subject-recruiter') };
  analyst = { token: await jwt('ANALYST', '', 'subject-analyst') };
  partner = { token: await jwt('PARTNER', orgA, 'subject-partner') };
});
afterAll(async () => {
  await app.stop();
});

const PERSON = 'candidate { id displayName summary }';
const GAP_VS_VACANCY = `query($c: ID!, $v: ID!) { skillGap(candidateId: $c, target: { vacancyId: $v }) { ${PERSON} coverage { essential } } }`;
const GAP_COVERAGE_ONLY =
  'query($c: ID!, $v: ID!) { skillGap(candidateId: $c, target: { vacancyId: $v }) { coverage { essential } } }';
const GAP_VS_OCCUPATION = `query($c: ID!, $o: ID!) { skillGap(candidateId: $c, target: { occupationUri: $o }) { ${PERSON} } }`;
const THREE_WAY = `query($c: ID!, $v: ID!) { threeWayGap(candidateId: $c, vacancyId: $v) { ${PERSON} againstVacancy { ${PERSON} } } }`;
const CAREER = `query($c: ID!) { careerPaths(candidateId: $c, k: 3) { ${PERSON} paths { weightedCoverage } } }`;
const CANDIDATE = 'query($c: ID!) { candidate(id: $c) { id displayName summary } }';

const variablesFor = (c: string) => ({ c, v: vacA, o: occupationA });

describe('RECRUITER: person fields only for candidates in their scope', () => {
  test('the probe: skillGap / threeWayGap / careerPaths of a non-applicant are FORBIDDEN like candidate(id)', async () => {
    for (const query of [
      CANDIDATE,
      GAP_VS_VACANCY,
      GAP_COVERAGE_ONLY,
      GAP_VS_OCCUPATION,
      THREE_WAY,
      CAREER,
    ]) {
      const res = await gql(app.url, query, variablesFor(outsiderA), recruiter);
      assert.deepEqual(errorCodes(res), ['FORBIDDEN'], query);
      // Refused in the access layer before the root resolver runs: the root field is null.
      assert.ok(
        Object.values(res.data ?? {}).every((v) => v === null),
        `nothing of the person comes back: ${query}`,
      );
      assert.doesNotMatch(JSON.stringify(res), /displayName"\s*:\s*"/);
    }
  });

  test('their own applicants still work, through every path', async () => {
    for (const query of [CANDIDATE, GAP_VS_VACANCY, GAP_VS_OCCUPATION, THREE_WAY, CAREER]) {
      const res = await gql<Record<string, { candidate?: { id: string; displayName: string } }>>(
        app.url,
        query,
        variablesFor(applicantA),
        recruiter,
      );
      assert.equal(res.errors, undefined, `${query}: ${JSON.stringify(res.errors)}`);
      const root = Object.values(res.data ?? {})[0];
      const person = root && 'displayName' in root ? (root as { displayName: string }) : root?.candidate;
      assert.ok(person?.displayName, `the applicant's name: ${query}`);
    }
  });

  test('ADMIN is not scoped: the same non-applicant is readable', async () => {
    for (const query of [GAP_VS_VACANCY, THREE_WAY, CAREER]) {
      const res = await gql(app.url, query, variablesFor(outsiderA));
      assert.equal(res.errors, undefined, `${query}: ${JSON.stringify(res.errors)}`);
    }
  });
});

describe('ANALYST: the analyses on pseudonymised subjects', () => {
  const SUBJECT = 'candidate { id region skills { skill { uri } } }';
  const ANALYSES = [
    `query($c: ID!, $v: ID!) { skillGap(candidateId: $c, target: { vacancyId: $v }) { ${SUBJECT} coverage { essential } } }`,
    `query($c: ID!, $o: ID!) { skillGap(candidateId: $c, target: { occupationUri: $o }) { ${SUBJECT} matchedSkills { uri } } }`,
    `query($c: ID!, $v: ID!) { threeWayGap(candidateId: $c, vacancyId: $v) { ${SUBJECT} againstVacancy { ${SUBJECT} } } }`,
    `query($c: ID!) { careerPaths(candidateId: $c, k: 3) { ${SUBJECT} paths { weightedCoverage } } }`,
  ];

  test('skillGap, threeWayGap and careerPaths run for any candidate; the person comes back under a pseudonym', async () => {
    for (const c of [applicantA, outsiderA]) {
      const seen = new Set<string>();
      for (const query of ANALYSES) {
        const res = await gql<Record<string, { candidate: { id: string; skills: unknown[] } }>>(
          app.url,
          query,
          variablesFor(c),
          analyst,
        );
        assert.equal(res.errors, undefined, `${query}: ${JSON.stringify(res.errors)}`);
        const person = Object.values(res.data ?? {})[0]?.candidate;
        assert.match(person?.id ?? '', /^anon-[A-Za-z0-9_-]{22}$/, query);
        assert.ok(person && person.skills.length > 0, 'skills are there for the analysis');
        seen.add(person.id);
        assert.ok(!JSON.stringify(res.data).includes(c), `the real id never comes back: ${query}`);
      }
      assert.equal(seen.size, 1, 'one stable pseudonym per candidate for this analyst');
    }
    // Not the pseudonym a partner gets for the same person (scopes never collide).
    const mine = await gql<{ skillGap: { candidate: { id: string } } }>(
      app.url,
      ANALYSES[0] ?? '',
      variablesFor(applicantA),
      analyst,
    );
    const secret = config.security.pseudonymSecret ?? '';
    assert.ok(secret.length > 0);
    assert.notEqual(mine.data?.skillGap.candidate.id, pseudonymFor(secret, orgA, applicantA));
  });

  test('no name, summary or applications on any path; candidate(id) and rankings stay closed', async () => {
    for (const query of [
      CANDIDATE,
      GAP_VS_VACANCY,
      GAP_VS_OCCUPATION,
      THREE_WAY,
      CAREER,
      'query($c: ID!) { careerPaths(candidateId: $c) { candidate { applications { status } } } }',
      'query($c: ID!, $v: ID!) { skillGap(candidateId: $c, target: { vacancyId: $v }) { vacancy { applications { status } } } }',
      'query($v: ID!) { rankCandidates(vacancyId: $v, k: 5) { items { rank } } }',
    ]) {
      const res = await gql(app.url, query, variablesFor(outsiderA), analyst);
      assert.deepEqual(errorCodes(res), ['FORBIDDEN'], query);
      assert.doesNotMatch(JSON.stringify(res), /displayName"\s*:\s*"/);
    }
  });

  test('partners still may not run the analyses (no subject of theirs to scope)', async () => {
    for (const query of ANALYSES)
      assert.deepEqual(
        errorCodes(await gql(app.url, query, variablesFor(applicantA), partner)),
        ['FORBIDDEN'],
        query,
      );
  });
});
