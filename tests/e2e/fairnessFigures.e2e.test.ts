/**
 * Fairness figures a reader can trust (issue 16 item 4), over HTTP on the ESCO test database with
 * its demo dataset: at k = 20 the small groups (a handful of people with 0 of the top 20) no longer
 * make the four-fifths rule fail; each figure says which groups it compares, which it leaves out
 * and why, with a p-value and an interval; a real, large disparity (the top 50 all of one group,
 * forced by the ADMIN-only constraint) is still flagged as significant and fails the rule.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { startApp, type App } from '../../src/app.js';
import { gql } from '../support/graphqlClient.js';
import { escoUri, silentLog, testConfig } from '../support/testEnv.js';

let app: App;
let vacancies: string[];

interface Figure {
  name: string;
  status: string;
  value: number | null;
  pValue: number | null;
  interval: { lower: number; upper: number; level: number } | null;
  groupsCompared: string[];
  groupsLeftOut: Array<{ group: string; reason: string }>;
  note: string;
}
interface Report {
  k: number;
  poolSize: number;
  groups: Array<{
    group: string;
    poolCount: number;
    topKCount: number;
    selectionRate: number;
    expectedTopKCount: number;
    selectionRateInterval: { lower: number; upper: number };
  }>;
  disparateImpactRatio: number | null;
  fourFifthsRulePassed: boolean | null;
  figures: Figure[];
  statistics: { minPoolCount: number; minExpectedCount: number; significanceLevel: number };
  notes: string[];
}

const QUERY = `query($v: ID!, $k: Int, $o: RankingOptions) {
  rankCandidates(vacancyId: $v, k: $k, options: $o) {
    fairness {
      k poolSize disparateImpactRatio fourFifthsRulePassed notes
      groups { group poolCount topKCount selectionRate expectedTopKCount selectionRateInterval { lower upper } }
      figures { name status value pValue interval { lower upper level } groupsCompared groupsLeftOut { group reason } note }
      statistics { minPoolCount minExpectedCount significanceLevel }
    }
  }
}`;

async function fairness(
  vacancyId: string,
  k: number,
  options: Record<string, unknown> = {},
): Promise<Report> {
  const res = await gql<{ rankCandidates: { fairness: Report | null } }>(app.url, QUERY, {
    v: vacancyId,
    k,
    o: { useReranker: false, ...options },
  });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  const report = res.data?.rankCandidates.fairness;
  assert.ok(report, 'an ADMIN gets the fairness report');
  return report;
}

const figure = (r: Report, name: string): Figure => {
  const f = r.figures.find((x) => x.name === name);
  assert.ok(f, name);
  return f;
};

beforeAll(async () => {
  app = await startApp(testConfig(escoUri(), { RANKING_CACHE_TTL_MS: '0' }), silentLog);
  const res = await gql<{ vacancies: { nodes: Array<{ id: string }> } }>(
    app.url,
    '{ vacancies(first: 6, filter: { status: OPEN }) { nodes { id } } }',
  );
  vacancies = (res.data?.vacancies.nodes ?? []).map((n) => n.id);
  assert.equal(vacancies.length, 6);
});
afterAll(() => app.stop());

test('six vacancies at k = 20: small groups are left out, not failed; every figure states its coverage', async () => {
  let oldAlarms = 0;
  for (const v of vacancies) {
    const r = await fairness(v, 20);
    assert.deepEqual(r.statistics, { minPoolCount: 30, minExpectedCount: 5, significanceLevel: 0.05 });
    assert.deepEqual(
      r.figures.map((f) => f.name),
      ['DEMOGRAPHIC_PARITY', 'DISPARATE_IMPACT', 'EXPOSURE', 'EQUAL_OPPORTUNITY', 'EQUALIZED_ODDS'],
    );
    // The figure as it was computed before: min / max over every reported group.
    const rates = r.groups.map((g) => g.selectionRate);
    if (rates.length >= 2 && Math.max(...rates) > 0 && Math.min(...rates) === 0) oldAlarms += 1;

    const impact = figure(r, 'DISPARATE_IMPACT');
    assert.equal(r.disparateImpactRatio, impact.value);
    // false only with a significant gap; never on insufficient data.
    if (r.fourFifthsRulePassed === false) assert.equal(impact.status, 'SIGNIFICANT_DISPARITY');
    if (impact.status === 'INSUFFICIENT_DATA') {
      assert.equal(impact.value, null);
      assert.equal(r.fourFifthsRulePassed, null);
    } else {
      assert.ok(impact.groupsCompared.length >= 2);
      assert.ok(impact.pValue !== null && impact.pValue >= 0 && impact.pValue <= 1);
      assert.ok(impact.interval && impact.interval.lower <= (impact.value ?? 0));
    }
    // Every reported group is either compared or left out with a reason that its counts bear out.
    for (const g of r.groups) {
      const out = impact.groupsLeftOut.find((l) => l.group === g.group);
      assert.ok(
        impact.groupsCompared.includes(g.group) !== Boolean(out),
        `${v}: ${g.group} compared xor left out`,
      );
      if (out?.reason === 'SMALL_GROUP') assert.ok(g.poolCount < 30);
      if (out?.reason === 'FEW_EXPECTED') assert.ok(g.poolCount >= 30 && g.expectedTopKCount < 5);
      if (impact.groupsCompared.includes(g.group)) assert.ok(g.poolCount >= 30 && g.expectedTopKCount >= 5);
      assert.ok(
        g.selectionRateInterval.lower <= g.selectionRate && g.selectionRate <= g.selectionRateInterval.upper,
      );
    }
  }
  // The situation of the issue occurs in this data: a group with 0 of the top 20 somewhere.
  assert.ok(oldAlarms >= 1, 'some vacancy has a reported group with 0 of the top 20');
});

test('a real, large disparity is still flagged: the top 50 all female', async () => {
  const v = vacancies[0] as string;
  const r = await fairness(v, 50, { fairness: { minGroupShare: 1, group: 'female' } });
  const female = r.groups.find((g) => g.group === 'female');
  const male = r.groups.find((g) => g.group === 'male');
  assert.ok(female && male && male.poolCount >= 30, JSON.stringify(r.groups));
  assert.equal(female.topKCount, 50);
  assert.equal(male.topKCount, 0);
  const impact = figure(r, 'DISPARATE_IMPACT');
  assert.equal(impact.status, 'SIGNIFICANT_DISPARITY', impact.note);
  assert.ok((impact.pValue ?? 1) < 0.001);
  assert.equal(r.disparateImpactRatio, 0);
  assert.equal(r.fourFifthsRulePassed, false);
  assert.equal(figure(r, 'DEMOGRAPHIC_PARITY').status, 'SIGNIFICANT_DISPARITY');
});
