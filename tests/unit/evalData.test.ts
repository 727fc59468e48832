import assert from 'node:assert/strict';
import { test } from 'vitest';
import {
  everyNth,
  firstSentence,
  parseHahuPostings,
  parseJobbertTitles,
  parseMelo,
  parseSkillSentences,
} from '../../src/eval/evalData.js';
import { GroupedLabelIndex, topK } from '../../src/eval/exactSearch.js';
import {
  baselineCheck,
  judgementsOf,
  markdownTable,
  pairedBootstrap,
  replaceSection,
  rPrecisionAtK,
  summarize,
} from '../../src/eval/report.js';

const OCC = 'http://data.europa.eu/esco/occupation/';

test('JobBERT titles: row id, title, gold URI', () => {
  const rows = parseJobbertTitles(
    `,vacancyTitle,conceptUri\n0,Marketing Executive ,${OCC}a\n1,"Sales, Retail",${OCC}b\n`,
  );
  assert.deepEqual(rows, [
    { id: '0', text: 'Marketing Executive', gold: [`${OCC}a`] },
    { id: '1', text: 'Sales, Retail', gold: [`${OCC}b`] },
  ]);
});

test('MELO: relevant corpus elements mapped to their concepts, deduplicated', () => {
  const rows = parseMelo({
    queries: 'Q1\tBoucher (h/f/x)\nQ2\tSans annotation\n',
    annotations: 'Q1\t0\tC1_fr_000\t1\nQ1\t0\tC1_fr_001\t1\nQ1\t0\tC2_fr_000\t0\n',
    conceptMapping: `C1_fr_000\t${OCC}x\nC1_fr_001\t${OCC}x\nC2_fr_000\t${OCC}y\n`,
  });
  assert.deepEqual(rows, [{ id: 'Q1', text: 'Boucher (h/f/x)', gold: [`${OCC}x`] }]);
});

test('skill sentences: grouped by sentence, no-skill labels dropped, empty sentences skipped', () => {
  const csv = [
    'sentence,span,sub_span,label',
    'javascript reactjs java,javascript,,JavaScript',
    'javascript reactjs java,reactjs,,LABEL NOT PRESENT',
    'javascript reactjs java,java,,Java (computer programming)',
    'javascript reactjs java,javascript,,JavaScript',
    'be smart,smart,,UNDERSPECIFIED',
    '"Strong, clear writing",writing,,write reports',
  ].join('\n');
  assert.deepEqual(parseSkillSentences(csv, 't'), [
    { id: 't0000', text: 'javascript reactjs java', gold: ['JavaScript', 'Java (computer programming)'] },
    { id: 't0001', text: 'Strong, clear writing', gold: ['write reports'] },
  ]);
});

test('HaHu postings: whitespace collapsed, code kept as text', () => {
  const rows = parseHahuPostings(
    'ID,title,description,esco_code,skills_essential,skills_optional\n7," Chief  Surveyor ","Line one.\nLine two.",2165.4,[],[]\n',
  );
  assert.deepEqual(rows, [
    { id: '7', title: 'Chief Surveyor', description: 'Line one. Line two.', escoCode: '2165.4' },
  ]);
});

test('every n-th item from the first; first sentence cut at a word', () => {
  assert.deepEqual(everyNth([0, 1, 2, 3, 4, 5, 6], 3), [0, 3, 6]);
  assert.throws(() => everyNth([1], 0), RangeError);
  assert.equal(firstSentence('We hire a nurse. Apply now!', 100), 'We hire a nurse');
  assert.equal(firstSentence('Version 2.0 of the role is open', 100), 'Version 2.0 of the role is open');
  assert.equal(firstSentence('one two three four five', 12), 'one two');
});

test('exact grouped search: a concept scores its best label; ties by id', () => {
  const v = (...xs: number[]) => Float32Array.from(xs);
  const index = new GroupedLabelIndex([v(1, 0), v(0.6, 0.8), v(0, 1), v(0.8, 0.6)], ['a', 'b', 'b', 'c']);
  assert.equal(index.groupCount, 3);
  const [first, second] = index.search([v(0, 1), v(1, 0)], 2);
  assert.deepEqual(
    first?.map((s) => s.id),
    ['b', 'c'],
  );
  assert.ok(Math.abs((first?.[0]?.score ?? 0) - 1) < 1e-6);
  assert.deepEqual(
    second?.map((s) => s.id),
    ['a', 'c'],
  );
  // More queries than one block of eight give the same answers.
  const many = index.search(
    Array.from({ length: 19 }, () => v(0, 1)),
    1,
  );
  assert.equal(many.length, 19);
  assert.ok(many.every((r) => r[0]?.id === 'b'));
});

test('top k keeps the highest scores, ties broken by id', () => {
  const scores = Float32Array.from([0.1, 0.9, 0.5, 0.9, Number.NEGATIVE_INFINITY]);
  assert.deepEqual(
    topK(scores, ['a', 'z', 'c', 'b', 'e'], 3).map((s) => s.id),
    ['b', 'z', 'c'],
  );
  assert.equal(topK(scores, ['a', 'z', 'c', 'b', 'e'], 10).length, 4);
});

test('RP@K divides by min(K, #relevant) and counts a repeated id once', () => {
  const j = judgementsOf(['x', 'y']);
  assert.equal(rPrecisionAtK(['x', 'a', 'y'], j, 5), 1);
  assert.equal(rPrecisionAtK(['x', 'x', 'a'], j, 5), 0.5);
  assert.equal(rPrecisionAtK(['a', 'x'], judgementsOf(['x', 'y', 'z', 'u', 'v', 'w']), 5), 0.2);
  assert.equal(rPrecisionAtK(['a'], judgementsOf([]), 5), 0);
});

test('summary means over judged queries', () => {
  const s = summarize(
    new Map([
      ['q1', ['a', 'b']],
      ['q2', ['c', 'd']],
    ]),
    new Map([
      ['q1', ['b']],
      ['q2', ['z']],
    ]),
  );
  assert.equal(s.queries, 2);
  assert.equal(s.mrr10, 0.25);
  assert.equal(s.recall1, 0);
  assert.equal(s.recall5, 0.5);
  assert.equal(s.rp5, 0.5);
});

test('a doc section is replaced between its markers, or appended', () => {
  const doc = '# Evaluation\n\nintro\n\n<!-- eval:a:start -->\nold a\n<!-- eval:a:end -->\n\ntail\n';
  const replaced = replaceSection(doc, 'eval:a', 'new a');
  assert.equal(
    replaced,
    '# Evaluation\n\nintro\n\n<!-- eval:a:start -->\nnew a\n<!-- eval:a:end -->\n\ntail\n',
  );
  const appended = replaceSection(replaced, 'eval:b', 'b');
  assert.ok(appended.endsWith('tail\n\n<!-- eval:b:start -->\nb\n<!-- eval:b:end -->\n'));
  assert.equal(replaceSection(appended, 'eval:a', 'new a'), appended);
});

test('markdown table escapes pipes and aligns numbers right', () => {
  assert.equal(markdownTable(['a', 'n'], [['x|y', '1']], ['l', 'r']), '| a | n |\n|---|---:|\n| x\\|y | 1 |');
});

test('paired bootstrap: reproducible, and the interval holds the mean difference', () => {
  const a = [1, 0.5, 0, 1, 1, 0.5, 0, 1];
  const b = [0.5, 0.5, 0, 1, 0, 0.5, 0, 0];
  const first = pairedBootstrap(a, b, 500, 7);
  assert.deepEqual(pairedBootstrap(a, b, 500, 7), first);
  assert.equal(first.mean, 0.3125);
  assert.ok(first.low <= first.mean && first.mean <= first.high);
  assert.deepEqual(pairedBootstrap(a, a, 100), { mean: 0, low: 0, high: 0 });
  assert.throws(() => pairedBootstrap([1], []), RangeError);
});

test('baseline check names the best dense run and says whether the default beats both', () => {
  const gold = new Map([
    ['q1', ['a']],
    ['q2', ['b']],
  ]);
  const run = (r1: string[], r2: string[]) =>
    new Map([
      ['q1', r1],
      ['q2', r2],
    ]);
  const check = baselineCheck({
    set: 'S',
    metricName: 'MRR',
    metric: (ranked, j) => (j.get(ranked[0] ?? '') ? 1 : 0),
    gold,
    defaultRun: { name: 'default', run: run(['a'], ['b']) },
    lexical: { name: 'lex', run: run(['x'], ['b']) },
    dense: [
      { name: 'weak', run: run(['x'], ['x']) },
      { name: 'strong', run: run(['a'], ['x']) },
    ],
  });
  assert.equal(check.beatsBoth, true);
  assert.match(check.line, /strong/);
  const tie = baselineCheck({
    set: 'S',
    metricName: 'MRR',
    metric: (ranked, j) => (j.get(ranked[0] ?? '') ? 1 : 0),
    gold,
    defaultRun: { name: 'default', run: run(['a'], ['x']) },
    lexical: { name: 'lex', run: run(['x'], ['x']) },
    dense: [{ name: 'same', run: run(['a'], ['x']) }],
  });
  assert.equal(tie.beatsBoth, false);
});
