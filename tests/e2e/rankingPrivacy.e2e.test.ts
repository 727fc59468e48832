/**
 * What rankings let a caller other than ADMIN infer (issue 15 items 2, 3), over HTTP on the ESCO
 * test database with its demo dataset: the differencing attack on fairness figures (k = n vs
 * n + 1) and the single-group constraint learn nothing; outcome history counts only the caller's
 * organization's applications and is hidden from partners; excludeApplied is refused to partners;
 * weights that overflow are bad input.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { SignJWT } from 'jose';
import { startApp, type App } from '../../src/app.js';
import { errorCodes, gql, type Credentials } from '../support/graphqlClient.js';
import { escoUri, silentLog, testConfig } from '../support/testEnv.js';

const JWT_SECRET = 'e2e-jwt-secret-with-at-least-32-characters';
/** The default PRIVACY_MIN_GROUP_SIZE. */
const THRESHOLD = 5;

let app: App;
let orgA: string;
let vacA: string;
let recruiter: Credentials;
let partner: Credentials;
const admin: Credentials = {};

function jwt(role: string, org: string, sub: string): Promise<string> {
  return new SignJWT({ role, org })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setAudience('talentgraph')
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(JWT_SECRET));
}

interface Fairness {
  k: number;
  groups: Array<{ group: string; topKCount: number }>;
  disparateImpactRatio: number | null;
  notes: string[];
}
type Ranked = {
  rankCandidates: {
    items: Array<{
      candidate: { applications: Array<{ status: string }> | null };
      breakdown: Array<{ feature: string; value: number | null }>;
    }>;
    fairness: Fairness | null;
    fairnessConstraint: { applied: boolean } | null;
  };
};

const FAIRNESS = `query($v: ID!, $k: Int, $o: RankingOptions) {
  rankCandidates(vacancyId: $v, k: $k, options: $o) {
    fairness { k groups { group topKCount } disparateImpactRatio notes }
    fairnessConstraint { applied }
  }
}`;
const NO_CE = { useReranker: false };

const rank = (credentials: Credentials, k: number, options: Record<string, unknown> = NO_CE) =>
  gql<Ranked>(app.url, FAIRNESS, { v: vacA, k, o: options }, credentials);

/** What a differencing attacker reads. */
const figures = (f: Fairness | null | undefined) => JSON.stringify(f?.groups ?? null);

beforeAll(async () => {
  app = await startApp(
    testConfig(escoUri(), { JWT_SECRET, JWT_AUDIENCE: 'talentgraph', RANKING_CACHE_TTL_MS: '0' }),
    silentLog,
  );
  const res = await gql<{
    vacancies: {
      nodes: Array<{ id: string; organization: { id: string } | null; applications: unknown[] }>;
    };
  }>(app.url, '{ vacancies(first: 100) { nodes { id organization { id } applications { status } } } }');
  const withApplicants = res.data?.vacancies.nodes.find((v) => v.organization && v.applications.length > 0);
  assert.ok(withApplicants?.organization, 'a vacancy with applicants');
  orgA = withApplicants.organization.id;
  vacA = withApplicants.id;
  recruiter = { token: await jwt('RECRUITER', orgA, 'privacy-recruiter') };
  partner = { token: await jwt('PARTNER', orgA, 'privacy-partner') };
});
afterAll(async () => {
  await app.stop();
});

test('the differencing attack (k = n vs n + 1) learns nothing as a RECRUITER', async () => {
  const seen: Fairness[] = [];
  for (let k = 1; k <= 3 * THRESHOLD + 1; k += 1) {
    const res = await rank(recruiter, k);
    assert.equal(res.errors, undefined, JSON.stringify(res.errors));
    const f = res.data?.rankCandidates.fairness;
    assert.ok(f);
    seen.push(f);
  }
  seen.forEach((f, i) => {
    const k = i + 1;
    if (k < THRESHOLD) {
      // Below the threshold: groups without any count, and a note saying why.
      assert.deepEqual(f.groups, [], `k = ${k}`);
      assert.equal(f.disparateImpactRatio, null);
      assert.match(
        f.notes.join(' '),
        /withheld for your role: the top k \(\d+\) is below the privacy threshold/,
      );
    } else {
      // Figures (when shown at all) are those of whole blocks: the cut is k rounded down.
      assert.equal(f.k, Math.floor(k / THRESHOLD) * THRESHOLD, `k = ${k}`);
    }
    const next = seen[i + 1];
    if (next && (k + 1) % THRESHOLD !== 0) {
      assert.equal(figures(next), figures(f), `k = ${k} vs ${k + 1} must not differ`);
    }
  });
  // The same walk on exact figures (ADMIN's) does tell ranks apart: the protection is what hides it.
  const exact: string[] = [];
  for (let k = THRESHOLD; k <= 2 * THRESHOLD; k += 1)
    exact.push(figures((await rank(admin, k)).data?.rankCandidates.fairness));
  assert.ok(new Set(exact).size > 1, 'exact top-k counts move with k');
});

test('the single-group constraint is refused to RECRUITER and PARTNER, allowed to ADMIN', async () => {
  for (const fairness of [
    { group: 'nonbinary', minGroupShare: 1.0 },
    { minGroupShare: 0.5 },
    { group: 'female' },
  ]) {
    for (const who of [recruiter, partner]) {
      const res = await rank(who, 1, { ...NO_CE, fairness });
      assert.deepEqual(errorCodes(res), ['FORBIDDEN'], JSON.stringify(fairness));
      assert.deepEqual(res.data, { rankCandidates: null });
    }
  }
  const ok = await rank(admin, 9, { ...NO_CE, fairness: { group: 'nonbinary', minGroupShare: 1.0 } });
  assert.equal(ok.errors, undefined);
  assert.ok(ok.data?.rankCandidates.fairnessConstraint);
});

test('OUTCOME_HISTORY counts only the applications the caller may see; partners see none', async () => {
  const query = `query($v: ID!, $o: RankingOptions) {
    rankCandidates(vacancyId: $v, k: 50, options: $o) {
      items { breakdown { feature value } candidate { applications { status } } }
    }
  }`;
  const history = (item: Ranked['rankCandidates']['items'][number]) =>
    item.breakdown.find((b) => b.feature === 'OUTCOME_HISTORY')?.value ?? null;
  // The recruiter reads each candidate's applications as Candidate.applications shows them to it
  // (its organization's only): the feature must be the smoothed share of exactly those.
  const mine = await gql<Ranked>(app.url, query, { v: vacA, o: NO_CE }, recruiter);
  assert.equal(mine.errors, undefined, JSON.stringify(mine.errors));
  const items = mine.data?.rankCandidates.items ?? [];
  assert.ok(items.length > 0);
  for (const item of items) {
    const apps = item.candidate.applications ?? [];
    const progressed = apps.filter((a) => a.status === 'INTERVIEW' || a.status === 'HIRED').length;
    assert.equal(history(item), (progressed + 1) / (apps.length + 2));
  }
  const partnerQuery = query.replace('candidate { applications { status } }', '');
  const theirs = await gql<Ranked>(app.url, partnerQuery, { v: vacA, o: NO_CE }, partner);
  assert.equal(theirs.errors, undefined, JSON.stringify(theirs.errors));
  assert.ok((theirs.data?.rankCandidates.items ?? []).every((i) => history(i) === null));
});

test('excludeApplied is refused to partners (it would reveal who applied), allowed to recruiters', async () => {
  const refused = await rank(partner, 10, { ...NO_CE, excludeApplied: true });
  assert.deepEqual(errorCodes(refused), ['FORBIDDEN']);
  assert.match(refused.errors?.[0]?.message ?? '', /excludeApplied/);
  const allowed = await rank(recruiter, 10, { ...NO_CE, excludeApplied: true });
  assert.equal(allowed.errors, undefined);
});

test('weights whose sum overflows are BAD_USER_INPUT, not an internal error', async () => {
  for (const who of [admin, recruiter]) {
    const res = await rank(who, 5, { ...NO_CE, weights: { regionMatch: 1e308, essentialCoverage: 1e308 } });
    assert.deepEqual(errorCodes(res), ['BAD_USER_INPUT']);
    assert.match(res.errors?.[0]?.message ?? '', /options\.weights/);
  }
});
