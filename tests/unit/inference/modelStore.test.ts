import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { loadConfig, type Config } from '../../../src/config.js';
import { ModelUnavailableError } from '../../../src/errors.js';
import { MODEL_CATALOG } from '../../../src/inference/modelCatalog.js';
import {
  ensureModel,
  loadModelFolder,
  resolveEmbedderModel,
  sha256File,
} from '../../../src/inference/modelStore.js';

const FIXTURE_TOKENIZER = path.resolve(import.meta.dirname, '../../fixtures/inference/tokenizer.json');

describe('model catalog', () => {
  test('pins a sha256 and a size for every file', () => {
    for (const spec of MODEL_CATALOG) {
      for (const file of [spec.model, spec.tokenizer]) {
        assert.match(file.sha256, /^[0-9a-f]{64}$/, `${spec.name} ${file.entry}`);
        assert.ok(file.size > 0);
      }
    }
  });

  test('has unique names and the conventions each family was trained with', () => {
    const names = MODEL_CATALOG.map((s) => s.name);
    assert.equal(new Set(names).size, names.length);
    for (const spec of MODEL_CATALOG) {
      if (spec.task !== 'embedding') continue;
      if (spec.name.startsWith('bge')) assert.equal(spec.pooling, 'cls');
      else assert.equal(spec.pooling, 'mean');
      if (spec.name.startsWith('e5'))
        assert.deepEqual([spec.queryPrefix, spec.passagePrefix], ['query: ', 'passage: ']);
    }
  });
});

describe('model store without fetching', () => {
  let root: string;
  let config: Config;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tg-modelstore-'));
    config = loadConfig({ MODELS_DIR: path.join(root, 'models'), CACHE_DIR: path.join(root, 'cache') });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const makeFolder = async (name: string, files: Record<string, string>): Promise<string> => {
    const dir = path.join(root, name);
    await mkdir(dir, { recursive: true });
    for (const [file, content] of Object.entries(files)) await writeFile(path.join(dir, file), content);
    return dir;
  };

  test('an unknown model name lists the built-in ones', async () => {
    await assert.rejects(ensureModel(config, 'gpt-17'), (error: unknown) => {
      assert.ok(error instanceof ModelUnavailableError);
      assert.match(error.message, /Unknown model "gpt-17".*bge-small-en-v15-q/);
      return true;
    });
  });

  test('a folder without its files says which are missing and which variable to fix', async () => {
    const dir = await makeFolder('empty', {});
    await assert.rejects(
      loadModelFolder(config, dir, 'embedding'),
      /EMBEDDING_MODEL_DIR=.*missing: model\.onnx, tokenizer\.json/,
    );
  });

  test('a folder is described by talentgraph-model.json, with defaults for what it omits', async () => {
    const tokenizer = await readFile(FIXTURE_TOKENIZER, 'utf8');
    const dir = await makeFolder('mine', {
      'model.onnx': 'not really onnx',
      'tokenizer.json': tokenizer,
      'talentgraph-model.json': JSON.stringify({
        name: 'my-e5',
        queryPrefix: 'query: ',
        passagePrefix: 'passage: ',
      }),
    });
    const local = await loadModelFolder(config, dir, 'embedding');
    assert.equal(local.modelPath, path.join(dir, 'model.onnx'));
    assert.deepEqual(
      { ...local.manifest, model: undefined, tokenizer: undefined },
      {
        formatVersion: 1,
        source: `folder:${dir}`,
        model: undefined,
        tokenizer: undefined,
        task: 'embedding',
        name: 'my-e5',
        // From the fixture tokenizer.json's truncation section.
        maxTokens: 128,
        outputName: null,
        dimension: null,
        pooling: 'mean',
        normalize: true,
        queryPrefix: 'query: ',
        passagePrefix: 'passage: ',
      },
    );
    assert.equal(local.manifest.model.sha256, await sha256File(path.join(dir, 'model.onnx')));
  });

  test('EMBEDDING_MODEL_DIR takes precedence over EMBEDDING_MODEL', async () => {
    const dir = await makeFolder('preferred', { 'model.onnx': 'x', 'tokenizer.json': '{}' });
    const withDir = loadConfig({ MODELS_DIR: config.inference.modelsDir, EMBEDDING_MODEL_DIR: dir });
    const local = await resolveEmbedderModel(withDir);
    assert.equal(local.dir, dir);
    assert.equal(local.manifest.maxTokens, 512);
  });

  test('a misspelt setting is an error, not a silent default', async () => {
    const dir = await makeFolder('typo', {
      'model.onnx': 'x',
      'tokenizer.json': '{}',
      'talentgraph-model.json': JSON.stringify({ poolling: 'cls' }),
    });
    await assert.rejects(loadModelFolder(config, dir, 'embedding'), /talentgraph-model\.json.*poolling/);
  });

  test('reranker folders accept only reranker settings', async () => {
    const dir = await makeFolder('rr', {
      'model.onnx': 'x',
      'tokenizer.json': '{}',
      'talentgraph-model.json': JSON.stringify({ pooling: 'cls' }),
    });
    await assert.rejects(loadModelFolder(config, dir, 'reranker'), /pooling/);
  });

  test('hashes a file once, then trusts it while its size and mtime are unchanged', async () => {
    const dir = await makeFolder('stamped', { 'model.onnx': 'aaaa', 'tokenizer.json': '{}' });
    const model = path.join(dir, 'model.onnx');
    // Whole milliseconds, so putting the mtime back below restores it exactly.
    const mtime = new Date('2024-01-01T00:00:00Z');
    await utimes(model, mtime, mtime);
    const first = await loadModelFolder(config, dir, 'embedding');

    // Same size, mtime put back: the stamp is trusted, so the old hash is reported.
    await writeFile(model, 'bbbb');
    await utimes(model, mtime, mtime);
    const trusted = await loadModelFolder(config, dir, 'embedding');
    assert.equal(trusted.manifest.model.sha256, first.manifest.model.sha256);

    // A new mtime invalidates the stamp and the file is hashed again.
    await utimes(model, mtime, new Date(mtime.getTime() + 5_000));
    const rehashed = await loadModelFolder(config, dir, 'embedding');
    assert.equal(rehashed.manifest.model.sha256, await sha256File(model));
    assert.notEqual(rehashed.manifest.model.sha256, first.manifest.model.sha256);
  });
});
