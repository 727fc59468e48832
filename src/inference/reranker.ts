/**
 * Cross-encoder: reads a (query, passage) pair together and returns the
 * probability that the passage answers the query (sigmoid of the model's
 * single relevance logit, as sentence-transformers' CrossEncoder reports it).
 */
import type { Config } from '../config.js';
import { ModelUnavailableError } from '../errors.js';
import { batchFeeds, forEachBatch, packBatch, planBatches, type BatchLimits } from './batching.js';
import { checkModelInterface } from './modelInterface.js';
import { DEFAULT_RERANKER } from './modelCatalog.js';
import { resolveRerankerModel, type LocalModel, type RerankerManifest } from './modelStore.js';
import { quantizesActivationsPerBatch } from './quantization.js';
import { sigmoid } from './pooling.js';
import { openSessionPool, type SessionQueue } from './sessionPool.js';
import { encodeMany, loadTextTokenizer } from './textTokenizer.js';
import {
  findTrainedReranker,
  openPreferringTrained,
  type ModelSelection,
  type TrainedRerankerLookup,
} from './trainedModels.js';

export interface RerankerInfo {
  readonly name: string;
  readonly source: string;
  readonly sha256: string;
  readonly tokenizerSha256: string;
  readonly maxTokens: number;
  readonly device: 'cpu' | 'cuda';
  /** How the configured model was chosen (absent when one was asked for by name). Logged at start-up. */
  readonly selection?: ModelSelection;
}

export interface Reranker {
  readonly info: RerankerInfo;
  /** A relevance probability in (0, 1) per pair, in input order; long pairs are truncated longest-first. */
  score(pairs: ReadonlyArray<readonly [query: string, passage: string]>): Promise<number[]>;
  /** `score` calls in progress or waiting for a session (for load shedding by callers). */
  pending(): number;
  /**
   * Model runs executing, waiting for a session, and dropped unrun because their request was
   * aborted (timed out or client gone) since start.
   */
  queue?(): SessionQueue;
  /** Pairs scored from the pair-score cache and by the model, where one is in front (`pairScoreCache.ts`). */
  cacheStats?(): PairScoreCacheStats;
  close(): Promise<void>;
}

export interface PairScoreCacheStats {
  readonly entries: number;
  /** Pairs answered from the cache. */
  readonly hits: number;
  /** Distinct pairs the model scored. */
  readonly misses: number;
}

export interface RerankerOptions {
  /** Pairs per model run; default 16 (pairs are longer than single texts), 1 for dynamically quantized models. */
  readonly maxBatchSize?: number;
  /** The trained cross-encoder's lookup when the caller made it already (not looked up and hashed again). */
  readonly trained?: TrainedRerankerLookup;
}

const DEFAULT_BATCH_SIZE = 16;
const MAX_BATCH_TOKENS = 16 * 512;

/**
 * Loads the cross-encoder `modelName` from the catalog or, without a name, the configured one:
 * `RERANKER_MODEL_DIR`, else the trained cross-encoder when its manifest is valid
 * (`TRAINED_MODELS=auto`), else the catalog's default. A trained model that is rejected or fails
 * to load leaves the generic one in place; `info.selection` says which and why.
 */
export async function createReranker(
  config: Config,
  modelName?: string,
  options: RerankerOptions = {},
): Promise<Reranker> {
  if (modelName !== undefined)
    return openReranker(config, await resolveRerankerModel(config, modelName), options);
  if (config.inference.rerankerModelDir !== undefined) {
    const reranker = await openReranker(config, await resolveRerankerModel(config), options);
    const message = `serving the cross-encoder ${reranker.info.name} from RERANKER_MODEL_DIR (trained models not consulted)`;
    return withSelection(reranker, { trained: 'folder', message });
  }
  const { model, selection } = await openPreferringTrained(
    options.trained ?? (await findTrainedReranker(config)),
    'reranker',
    DEFAULT_RERANKER,
    (local) => openReranker(config, local, options),
    async () => openReranker(config, await resolveRerankerModel(config), options),
  );
  return withSelection(model, selection);
}

function withSelection(reranker: Reranker, selection: ModelSelection): Reranker {
  const info = { ...reranker.info, selection };
  return {
    info,
    score: (pairs) => reranker.score(pairs),
    pending: () => reranker.pending(),
    ...(reranker.queue ? { queue: () => reranker.queue!() } : {}),
    close: () => reranker.close(),
  };
}

async function openReranker(
  config: Config,
  local: LocalModel<RerankerManifest>,
  options: RerankerOptions,
): Promise<Reranker> {
  const { manifest } = local;
  const { device, threads, maxConcurrency } = config.inference;
  const tokenizer = await loadTextTokenizer(local.tokenizerPath);
  const pool = await openSessionPool(local.modelPath, { device, threads, size: maxConcurrency });
  try {
    const { outputName, usesTokenTypes } = checkModelInterface(
      local.modelPath,
      'reranker',
      pool.inputs,
      pool.outputs,
      manifest.outputName,
    );
    // Dynamically quantized models give a row another output beside other rows: one row per run.
    const rowsPerRun = quantizesActivationsPerBatch(local.modelPath) ? 1 : DEFAULT_BATCH_SIZE;
    const limits: BatchLimits = {
      maxBatchSize: options.maxBatchSize ?? rowsPerRun,
      maxBatchTokens: Math.max(MAX_BATCH_TOKENS, manifest.maxTokens),
    };
    let inFlight = 0;
    return {
      pending: () => inFlight,
      queue: () => pool.queue(),
      info: {
        name: manifest.name,
        source: manifest.source,
        sha256: manifest.model.sha256,
        tokenizerSha256: manifest.tokenizer.sha256,
        maxTokens: manifest.maxTokens,
        device,
      },
      async score(pairs) {
        inFlight += 1;
        try {
          return await scorePairs(pairs);
        } finally {
          inFlight -= 1;
        }
      },
      close: () => pool.close(),
    };
    async function scorePairs(
      pairs: ReadonlyArray<readonly [query: string, passage: string]>,
    ): Promise<number[]> {
      const encoded = await encodeMany(pairs, ([query, passage]) =>
        tokenizer.encodePair(query, passage, manifest.maxTokens),
      );
      const scores = new Array<number>(pairs.length);
      await forEachBatch(
        planBatches(
          encoded.map((e) => e.ids.length),
          limits,
        ),
        maxConcurrency,
        async (indices) => {
          const batch = packBatch(
            indices.map((i) => encoded[i]!),
            tokenizer.padId,
          );
          const outputs = await pool.run(batchFeeds(batch, usesTokenTypes), [outputName]);
          const logits = outputs[outputName];
          if (!logits || logits.data.length !== batch.rows) {
            throw new ModelUnavailableError(
              `${local.modelPath}: output ${outputName} has shape [${logits?.dims.join(', ') ?? ''}], expected [${batch.rows}, 1]`,
            );
          }
          indices.forEach((index, row) => {
            scores[index] = sigmoid(logits.data[row]!);
          });
        },
      );
      return scores;
    }
  } catch (error) {
    await pool.close();
    throw error;
  }
}
