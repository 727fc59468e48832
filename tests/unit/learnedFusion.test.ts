import assert from 'node:assert/strict';
import { test } from 'vitest';
import { DEFAULT_WEIGHTS, FEATURE_NAMES, fuse, type FeatureName } from '../../src/ranking/features.js';
import {
  createFusionModel,
  hardNegativeRanks,
  LEARNED_FEATURES,
  mineHardNegatives,
  normalizeWeights,
  outcomeMetrics,
  parseFusionModel,
  scoreVector,
  toFeatureVector,
  trainFusionWeights,
  trainingDataHash,
  type FeatureValues,
  type FeatureVector,
  type TrainingList,
} from '../../src/ranking/learnedFusion.js';

/** Compile-time: the feature builder's input has no field for a sensitive attribute. */
type SensitiveKeys = 'gender' | 'ageBand' | 'sensitive' | 'ethnicity' | 'age';
const noSensitiveInput: Extract<keyof FeatureValues, SensitiveKeys> extends never ? true : false = true;
const noSensitiveVector: Extract<keyof FeatureVector, SensitiveKeys> extends never ? true : false = true;

const values = {
  essentialCoverage: 0.8,
  optionalCoverage: 0.5,
  occupationMatch: 0.75,
  embeddingCosine: 0.7,
  idealProfileCosine: 0.6,
  regionMatch: 1,
  outcomeHistory: 0.5,
  crossEncoder: null,
};

test('the feature vector is a closed list: a candidate with a gender gives the same features', () => {
  assert.ok(noSensitiveInput && noSensitiveVector);
  const plain = toFeatureVector(values);
  const candidate = {
    ...values,
    id: 'cand-1',
    gender: 'female',
    ageBand: '25-34',
    sensitive: { gender: 'female' },
  };
  const withSensitive = toFeatureVector(candidate);
  assert.deepEqual(withSensitive, plain);
  assert.deepEqual(Object.keys(withSensitive), [...FEATURE_NAMES]);
  assert.ok(!('gender' in withSensitive));
  // A model's score reads the same closed vector.
  assert.equal(scoreVector(withSensitive, DEFAULT_WEIGHTS), scoreVector(plain, DEFAULT_WEIGHTS));
  // Non-finite values are "stage did not run", as in fuse().
  assert.equal(toFeatureVector({ embeddingCosine: Number.NaN }).embeddingCosine, null);
  assert.ok(!LEARNED_FEATURES.includes('outcomeHistory'));
});

test('scoreVector is the API fusion score', () => {
  const vector = toFeatureVector(values);
  assert.ok(Math.abs(scoreVector(vector, DEFAULT_WEIGHTS) - fuse(values, DEFAULT_WEIGHTS).score) < 1e-12);
});

test('hard negatives come from the runner-up band, never the very top, applicants excluded', () => {
  assert.deepEqual(hardNegativeRanks(1000), { from: 31, to: 40 });
  assert.deepEqual(hardNegativeRanks(100), { from: 11, to: 11 });
  assert.deepEqual(hardNegativeRanks(5), { from: 11, to: 5 });
  const ranked = Array.from({ length: 1000 }, (_, i) => `c${i + 1}`);
  assert.deepEqual(mineHardNegatives(ranked, new Set(['c32', 'c33']), { max: 3 }), ['c31', 'c34', 'c35']);
  // The band follows the pool size even when only its head is at hand.
  assert.deepEqual(mineHardNegatives(ranked.slice(0, 200), new Set(), { poolSize: 1000, max: 2 }), [
    'c31',
    'c32',
  ]);
  assert.deepEqual(mineHardNegatives(ranked.slice(0, 5), new Set()), []);
  assert.throws(() => hardNegativeRanks(100, [0.5, 0.1]), RangeError);
});

function vector(partial: Partial<Record<FeatureName, number | null>>): FeatureVector {
  return toFeatureVector({ ...Object.fromEntries(FEATURE_NAMES.map((n) => [n, 0])), ...partial });
}

/** Hires hold the essential skills; negatives look alike to the text models but lack the skills. */
function syntheticLists(n: number): TrainingList[] {
  return Array.from({ length: n }, (_, q) => ({
    queryId: `v${q}`,
    items: [
      { gain: 1, features: vector({ essentialCoverage: 0.9, embeddingCosine: 0.6, crossEncoder: 0.2 }) },
      { gain: 0, features: vector({ essentialCoverage: 0.3, embeddingCosine: 0.9, crossEncoder: 0.9 }) },
      { gain: 0, features: vector({ essentialCoverage: 0.4, embeddingCosine: 0.8, crossEncoder: null }) },
    ],
  }));
}

test('training moves weight to the feature that separates hires, and is deterministic', () => {
  const lists = syntheticLists(20);
  const before = outcomeMetrics(lists, DEFAULT_WEIGHTS);
  const result = trainFusionWeights(lists, { epochs: 200 });
  const after = outcomeMetrics(lists, result.weights);
  assert.equal(result.pairs, 40);
  assert.ok(after.mrr >= before.mrr, `${after.mrr} < ${before.mrr}`);
  assert.equal(after.pairwiseAccuracy, 1);
  assert.ok(result.weights.essentialCoverage > DEFAULT_WEIGHTS.essentialCoverage);
  assert.ok(result.weights.crossEncoder < DEFAULT_WEIGHTS.crossEncoder);
  assert.equal(result.weights.outcomeHistory, 0);
  for (const name of FEATURE_NAMES) assert.ok(result.weights[name] >= 0);
  assert.ok(Math.abs(FEATURE_NAMES.reduce((s, n) => s + result.weights[n], 0) - 1) < 1e-5);
  assert.ok(result.lossByEpoch.at(-1)! < result.lossByEpoch[0]!);
  assert.deepEqual(trainFusionWeights(lists, { epochs: 200 }).weights, result.weights);
});

test('outcome metrics: hire MRR and pairwise accuracy by hand', () => {
  const lists: TrainingList[] = [
    {
      queryId: 'a',
      items: [
        { gain: 1, features: vector({ essentialCoverage: 0.5 }) },
        { gain: 0, features: vector({ essentialCoverage: 0.9 }) },
        { gain: 0, features: vector({ essentialCoverage: 0.1 }) },
      ],
    },
    {
      queryId: 'b',
      items: [
        { gain: 1, features: vector({ essentialCoverage: 0.9 }) },
        { gain: 0, features: vector({ essentialCoverage: 0.1 }) },
      ],
    },
  ];
  // a: hire ranked 2nd (RR 1/2), 1 of 2 pairs right; b: ranked 1st, 1 of 1.
  const m = outcomeMetrics(lists, DEFAULT_WEIGHTS);
  assert.equal(m.mrr, 0.75);
  assert.equal(m.pairwiseAccuracy, 2 / 3);
  assert.equal(m.lists, 2);
});

test('artifacts: versioned, named by content, closed feature list, refused when tampered', () => {
  const lists = syntheticLists(3);
  const hash = trainingDataHash(lists);
  assert.match(hash, /^[0-9a-f]{64}$/);
  assert.equal(trainingDataHash([...lists].reverse()), hash);
  const weights = normalizeWeights({ ...DEFAULT_WEIGHTS, essentialCoverage: 0.7 });
  const model = createFusionModel({
    weights,
    dataHash: hash,
    createdAt: '2026-11-23T00:00:00.000Z',
    training: {
      source: 'test',
      loss: 'pairwise',
      trainVacancies: 3,
      validationVacancies: 0,
      pairs: 6,
      hardNegativeBand: [0.03, 0.04],
      options: { epochs: 1 },
    },
    metrics: { validation: { learned: { hireMrr: 1 } } },
  });
  assert.equal(model.formatVersion, 1);
  assert.match(model.name, /^fusion-[0-9a-f]{12}$/);
  assert.deepEqual(model.features, [...FEATURE_NAMES]);
  const json = JSON.parse(JSON.stringify(model)) as Record<string, unknown>;
  assert.deepEqual(parseFusionModel(json), model);
  assert.throws(
    () => parseFusionModel({ ...json, weights: { ...weights, gender: 0.1 } }),
    /not a fusion model/,
  );
  assert.throws(() => parseFusionModel({ ...json, features: [...FEATURE_NAMES, 'gender'] }), /features/);
  assert.throws(
    () => parseFusionModel({ ...json, features: [...FEATURE_NAMES].reverse() }),
    /features must be exactly/,
  );
  assert.throws(
    () => parseFusionModel({ ...json, weights: { ...weights, outcomeHistory: 0.2 } }),
    /outcomeHistory must be 0/,
  );
  assert.throws(
    () => parseFusionModel({ ...json, weights: { ...weights, regionMatch: -1 } }),
    /not a fusion model/,
  );
  assert.throws(() => parseFusionModel({ ...json, formatVersion: 2 }), /not a fusion model/);
});

test('FUSION_MODEL: configured path, loaded and validated, refused with the file named', async () => {
  const { loadConfig } = await import('../../src/config.js');
  const { loadFusionModel, fusionModelRef } = await import('../../src/services/fusionModel.js');
  const fs = await import('node:fs');
  const os = await import('node:os');
  const path = await import('node:path');
  assert.equal(loadConfig({}).fusionModel, undefined);
  assert.equal(loadConfig({ FUSION_MODEL: 'models/f.json' }).fusionModel, path.resolve('models/f.json'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fusion-'));
  const model = createFusionModel({
    weights: normalizeWeights(DEFAULT_WEIGHTS),
    dataHash: 'a'.repeat(64),
    createdAt: '2026-11-23T00:00:00.000Z',
    training: {
      source: 'test',
      loss: 'pairwise',
      trainVacancies: 1,
      validationVacancies: 1,
      pairs: 1,
      hardNegativeBand: [0.03, 0.04],
      options: {},
    },
    metrics: { validation: {} },
  });
  const good = path.join(dir, 'good.json');
  fs.writeFileSync(good, JSON.stringify(model));
  assert.deepEqual(loadFusionModel(good), model);
  assert.deepEqual(fusionModelRef(model), {
    name: model.name,
    createdAt: model.createdAt,
    trainingDataHash: 'a'.repeat(64),
  });
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, JSON.stringify({ ...model, weights: { ...model.weights, gender: 1 } }));
  assert.throws(
    () => loadFusionModel(bad),
    (e: Error) => e.name === 'FusionModelError' && e.message.includes(bad),
  );
  assert.throws(() => loadFusionModel(path.join(dir, 'missing.json')), /cannot read it as JSON/);
});
