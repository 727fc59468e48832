import assert from 'node:assert/strict';
import { test } from 'vitest';
import { serverTimings } from '../../scripts/bench/benchInstance.js';
import { parseInferenceOutput } from '../../scripts/bench/inferenceBench.js';
import { quantile, summarize } from '../../scripts/bench/stats.js';
import { columnChartSvg, lineChartSvg } from '../../src/eval/svgChart.js';

test('quantile interpolates between closest ranks; summarize ignores non-finite samples', () => {
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([10], 0.99), 10);
  assert.ok(Number.isNaN(quantile([], 0.5)));
  const s = summarize([5, 1, Number.NaN, 3, 2, 4]);
  assert.deepEqual([s.n, s.p50, s.min, s.max, s.mean], [5, 3, 1, 5, 3]);
  assert.equal(s.p95, 4.8);
});

test('parseInferenceOutput reads the rows of bench:inference, with and without the transformers.js columns', () => {
  const out = [
    'texts: 1000 ESCO skill labels (mean 27.3 chars)',
    'model                  batch  texts/s  texts/cpu-s  loop max ms | transformers.js texts/s  texts/cpu-s',
    'all-minilm-l6-v2          32     1095          864           34 |                    1148          583',
    'all-minilm-l6-v2          64     1292          878           36 | ',
    'cross-encoder ms-marco-minilm-l12-v2-q: label pairs 799 pairs/s (427 per cpu-s); label + description pairs 294.0 pairs/s (148.7 per cpu-s)',
    'transformers.js cross-encoder: label pairs 500 pairs/s (300 per cpu-s)',
  ].join('\n');
  const parsed = parseInferenceOutput(out);
  assert.equal(parsed.texts, '1000 ESCO skill labels (mean 27.3 chars)');
  assert.deepEqual(parsed.embedders, [
    { model: 'all-minilm-l6-v2', batch: 32, rate: 1095, cpuRate: 864, loopMax: 34, ref: 1148, refCpu: 583 },
    { model: 'all-minilm-l6-v2', batch: 64, rate: 1292, cpuRate: 878, loopMax: 36, ref: null, refCpu: null },
  ]);
  assert.deepEqual(parsed.reranker, {
    model: 'ms-marco-minilm-l12-v2-q',
    rate: 799,
    cpuRate: 427,
    longRate: 294,
    ref: 500,
  });
});

test('charts are standalone SVG documents that skip missing values and escape names', () => {
  const bars = columnChartSvg({
    title: 'a < b',
    yLabel: 'ms',
    categories: ['10k', '100k'],
    series: [{ name: 'x & y', values: [1, null] }],
  });
  assert.match(bars, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(bars, /a &lt; b/);
  assert.match(bars, /x &amp; y/);
  assert.equal((bars.match(/<rect x=/g) ?? []).length, 2, 'one bar and one legend swatch');
  const lines = lineChartSvg({
    title: 't',
    yLabel: 'ms',
    xLabel: 'n',
    xs: [10_000, 100_000, 1_000_000],
    series: [{ name: 's', values: [1, 10, null] }],
  });
  assert.equal((lines.match(/<circle/g) ?? []).length, 2);
  assert.match(lines, /<polyline/);
  assert.ok(lines.trimEnd().endsWith('</svg>'));
});

test('serverTimings reads the durations of a server-timing header by name, skipping entries without one', () => {
  const t = serverTimings(
    'parse;dur=0.3, validate;dur=1.2, execute;dur=48.0, ranking;dur=31.5, resolve;dur=16.5, cache;desc="hit"',
  );
  assert.deepEqual(
    [...t],
    [
      ['parse', 0.3],
      ['validate', 1.2],
      ['execute', 48],
      ['ranking', 31.5],
      ['resolve', 16.5],
    ],
  );
  assert.equal(serverTimings(null).size, 0);
});
