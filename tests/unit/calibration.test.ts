import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { fitAll, type CalibrationFeatures } from '../../src/eval/calibrationFit.js';
import {
  calibrationPart,
  chooseNoMatchThreshold,
  confidenceOf,
  fitCalibration,
  reliability,
  type MatchFeatures,
} from '../../src/services/calibration.js';

/** A seeded stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function synthetic(n: number, seed: number): Array<{ features: MatchFeatures; label: 0 | 1 }> {
  const r = random(seed);
  return Array.from({ length: n }, () => {
    const cosine = r();
    const rank = 1 + Math.floor(r() * 5);
    const features: MatchFeatures = {
      fused: 1 / (3 + rank),
      rank,
      cosine,
      lexicalRR: r() < 0.5 ? 1 / rank : 0,
      denseRR: 1 / rank,
      margin: r() * 0.3,
      coverage: r() < 0.5 ? 1 : 0,
      lookalike: 0,
    };
    // The truth: a logistic function of cosine and rank.
    const p = 1 / (1 + Math.exp(-(6 * (cosine - 0.6) - 0.8 * (rank - 1))));
    return { features, label: r() < p ? 1 : 0 };
  });
}

test('the fitted model is calibrated on data it never saw, far better than a raw score', () => {
  const model = { ...fitCalibration(synthetic(4000, 1)), noMatchThreshold: 0.5 };
  const held = synthetic(4000, 2);
  const calibrated = reliability(
    held.map((h) => ({ confidence: confidenceOf(model, h.features), label: h.label })),
  );
  const raw = reliability(held.map((h) => ({ confidence: h.features.cosine, label: h.label })));
  assert.ok(calibrated.ece < 0.03, `ECE ${calibrated.ece}`);
  assert.ok(calibrated.ece < raw.ece / 2, `${calibrated.ece} vs raw ${raw.ece}`);
  for (const h of held.slice(0, 200)) {
    const c = confidenceOf(model, h.features);
    assert.ok(c >= 0 && c <= 1);
  }
  // More cosine, more confidence; a later rank, less.
  const base = held[0]!.features;
  assert.ok(confidenceOf(model, { ...base, cosine: 0.9 }) > confidenceOf(model, { ...base, cosine: 0.3 }));
});

test('fitting is deterministic', () => {
  assert.deepEqual(fitCalibration(synthetic(500, 3)), fitCalibration(synthetic(500, 3)));
});

test('reliability bins count every point once and ECE is the weighted gap', () => {
  const points = [
    { confidence: 0.05, label: 0 as const },
    { confidence: 0.95, label: 1 as const },
    { confidence: 1, label: 1 as const },
    { confidence: 0.55, label: 0 as const },
  ];
  const { bins, ece } = reliability(points);
  assert.equal(
    bins.reduce((n, b) => n + b.count, 0),
    points.length,
  );
  const expected = (0.05 + (1 - 0.975) * 2 + 0.55) / 4;
  assert.ok(Math.abs(ece - expected) < 1e-12, `${ece} vs ${expected}`);
});

test('the no-match threshold separates answered from unanswered queries', () => {
  const queries = [
    ...Array.from({ length: 20 }, (_, i) => ({ topConfidence: 0.6 + i * 0.01, answered: true })),
    ...Array.from({ length: 20 }, (_, i) => ({ topConfidence: 0.1 + i * 0.01, answered: false })),
  ];
  const t = chooseNoMatchThreshold(queries);
  assert.ok(t > 0.29 && t <= 0.6, String(t));
  assert.equal(chooseNoMatchThreshold(queries.filter((q) => q.answered)), 0);
});

test('the hash split is stable and about 70/30', () => {
  const parts = Array.from({ length: 2000 }, (_, i) => calibrationPart(`q${i}`));
  const fit = parts.filter((p) => p === 'fit').length / parts.length;
  assert.ok(fit > 0.65 && fit < 0.75, String(fit));
  assert.equal(calibrationPart('jobbert:j17'), calibrationPart('jobbert:j17'));
});

test('src/services/calibration.json is what `npm run calibrate -- --refit` gives on the committed dev features', () => {
  const features = JSON.parse(
    fs.readFileSync(path.join(PROJECT_ROOT, 'tests', 'fixtures', 'calibration', 'dev-features.json'), 'utf8'),
  ) as CalibrationFeatures;
  const committed = JSON.parse(
    fs.readFileSync(path.join(PROJECT_ROOT, 'src', 'services', 'calibration.json'), 'utf8'),
  ) as unknown;
  assert.deepEqual(committed, fitAll(features));
  // Every query of the committed features sits in the part its id hashes to.
  for (const q of [...features.titles, ...features.skills]) assert.equal(q.part, calibrationPart(q.id), q.id);
});
