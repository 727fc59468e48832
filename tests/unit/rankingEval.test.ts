import assert from 'node:assert/strict';
import { test } from 'vitest';
import { addLines, datasetIds, emptyDataset, isValidationVacancy } from '../../src/eval/rankingData.js';
import { aggregateFairness, scoreRun } from '../../src/eval/rankingSummary.js';
import { barChartSvg, escapeXml, parseMarkdownTable } from '../../src/eval/svgChart.js';

test('labelled JSONL: people records, judgements (typed or fit-file lines), outcomes, groups, issues', () => {
  const lines = [
    JSON.stringify({
      type: 'candidate',
      id: 'c1',
      displayName: 'A',
      summary: 'Python developer',
      sensitive: { gender: 'female' },
    }),
    JSON.stringify({ type: 'candidate', id: 'c2', displayName: 'B', skills: [{ label: 'Python' }] }),
    JSON.stringify({ type: 'vacancy', id: 'v1', title: 'Developer' }),
    JSON.stringify({ type: 'application', candidateId: 'c1', vacancyId: 'v1', status: 'HIRED' }),
    JSON.stringify({ type: 'judgement', vacancyId: 'v1', candidateId: 'c1', relevance: 3 }),
    JSON.stringify({ vacancyId: 'v1', candidateId: 'c2', fit: 0.41, relevance: 1 }),
    '',
    '{not json',
    JSON.stringify({ type: 'candidate', id: 'c3' }),
    JSON.stringify({ vacancyId: 'v1', candidateId: 'c2', relevance: -1 }),
  ];
  const d = addLines(emptyDataset(), 'f.jsonl', lines);
  assert.deepEqual(datasetIds(d), { vacancies: ['v1'], candidates: ['c1', 'c2'] });
  assert.deepEqual(
    [...d.judgements.get('v1')!],
    [
      ['c1', 3],
      ['c2', 1],
    ],
  );
  assert.equal(d.outcomes.get('v1')?.get('c1'), 'HIRED');
  assert.deepEqual(
    [...d.groups],
    [
      ['c1', 'female'],
      ['c2', null],
    ],
  );
  assert.deepEqual(
    d.issues.map((i) => i.line),
    [8, 9, 10],
  );
  assert.match(d.issues[1]!.reason, /displayName/);
});

test('vacancy split by hash is stable and near the requested share', () => {
  const ids = Array.from({ length: 2000 }, (_, i) => `vac-${i}`);
  const held = ids.filter((id) => isValidationVacancy(id, 0.3));
  assert.ok(held.length > 500 && held.length < 700, `${held.length}`);
  assert.deepEqual(
    ids.filter((id) => isValidationVacancy(id, 0.3)),
    held,
  );
  assert.equal(ids.filter((id) => isValidationVacancy(id, 0)).length, 0);
});

test('aggregate fairness over slates, by hand', () => {
  // Two vacancies, slates of 4, k = 2.
  const slates = new Map([
    ['v1', ['f1', 'm1', 'm2', 'f2']],
    ['v2', ['m3', 'm4', 'f3', 'x1']],
  ]);
  const group = (id: string) => (id.startsWith('f') ? 'female' : id.startsWith('m') ? 'male' : null);
  const qualified = (_v: string, id: string) =>
    id === 'f2' || id === 'f1' || id === 'm1' ? true : id === 'm2' ? false : null;
  const f = aggregateFairness(slates, group, qualified, 2, 0.05);
  // female: 3 slotted (ranks 1, 4, 3), 1 selected; male: 4 slotted (ranks 2, 3, 1, 2), 3 selected; unknown left out.
  assert.deepEqual(
    f.groups.map((g) => [g.group, g.slotted, g.selected]),
    [
      ['female', 3, 1],
      ['male', 4, 3],
    ],
  );
  const d = (r: number) => 1 / Math.log2(1 + r);
  assert.ok(Math.abs(f.groups[0]!.exposure - (d(1) + d(4) + d(3)) / 3) < 1e-12);
  assert.ok(Math.abs(f.demographicParityDifference! - (3 / 4 - 1 / 3)) < 1e-12);
  assert.ok(Math.abs(f.disparateImpactRatio! - 1 / 3 / (3 / 4)) < 1e-12);
  // TPR female: f1 selected, f2 not → 1/2; male: m1 not selected… m1 is rank 2 → selected → 1/1.
  assert.equal(f.groups[0]!.truePositiveRate, 0.5);
  assert.equal(f.groups[1]!.truePositiveRate, 1);
  assert.equal(f.equalOpportunityDifference, 0.5);
  // FPR: female none unqualified → null, so equalized odds is undefined.
  assert.equal(f.equalizedOddsDifference, null);
});

test('scoreRun: graded metrics at 10 and recall at 100', () => {
  const run = new Map([['q', ['a', 'x', 'b']]]);
  const qrels = new Map([
    [
      'q',
      new Map([
        ['a', 2],
        ['b', 1],
        ['c', 1],
      ]),
    ],
  ]);
  const s = scoreRun(run, qrels, 3);
  assert.equal(s.queries, 1);
  assert.equal(s.recall100, 2 / 3);
  assert.equal(s.mrr10, 1);
  assert.equal(s.precision10, 0.2);
  const dcg = 3 + 1 / Math.log2(4);
  const idcg = 3 + 1 / Math.log2(3) + 1 / Math.log2(4);
  assert.ok(Math.abs(s.ndcg10 - dcg / idcg) < 1e-12);
});

test('SVG bar chart: escaped labels, one bar per value, n/a for missing', () => {
  const svg = barChartSvg({
    title: 'A <b> & c',
    caption: ['Data: x'],
    categories: ['one', 'two'],
    series: [{ name: 's', values: [0.5, null] }],
    max: 1,
  });
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assert.ok(svg.includes('A &lt;b&gt; &amp; c'));
  assert.equal((svg.match(/<rect x="310"/g) ?? []).length, 1);
  assert.ok(svg.includes('0.500') && svg.includes('n/a'));
  assert.equal(escapeXml('"<&>'), '&quot;&lt;&amp;&gt;');
  const table = parseMarkdownTable(
    'text\n\n| Configuration | A@1 |\n|---|---:|\n| **x — default** | 0.5 |\n| y \\| z | n/a |\n\nafter',
  );
  assert.deepEqual(table, {
    headers: ['Configuration', 'A@1'],
    rows: [
      ['x — default', '0.5'],
      ['y | z', 'n/a'],
    ],
  });
});
