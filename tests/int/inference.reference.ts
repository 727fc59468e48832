/**
 * transformers.js running the very ONNX and tokenizer files the model store
 * extracted, as an independent reference for `src/inference` (tests and the
 * benchmark). It loads only from a local folder laid out the way it expects:
 * `<dir>/<name>/{config.json, tokenizer_config.json, tokenizer.json, onnx/model.onnx}`,
 * the last two linked to the store's files, the first two written here.
 */
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  AutoModel,
  AutoModelForSequenceClassification,
  AutoTokenizer,
  type Tensor,
  env,
  mean_pooling,
} from '@huggingface/transformers';
import type { EmbedderManifest, LocalModel, RerankerManifest } from '../../src/inference/index.js';

export interface ReferenceEmbedder {
  /** Texts embedded in order, `batchSize` per run, each batch padded to its longest text. */
  embed(texts: readonly string[], batchSize: number): Promise<Float32Array[]>;
  close(): Promise<void>;
}

export interface ReferenceReranker {
  score(pairs: ReadonlyArray<readonly [string, string]>, batchSize: number): Promise<number[]>;
  close(): Promise<void>;
}

export interface TransformersReference {
  loadEmbedder(local: LocalModel<EmbedderManifest>): Promise<ReferenceEmbedder>;
  loadReranker(local: LocalModel<RerankerManifest>): Promise<ReferenceReranker>;
}

/** The BERT special tokens transformers.js reads from tokenizer_config.json (it pads with `pad_token`). */
const BERT_SPECIAL_TOKENS = {
  tokenizer_class: 'BertTokenizer',
  pad_token: '[PAD]',
  cls_token: '[CLS]',
  sep_token: '[SEP]',
  unk_token: '[UNK]',
  mask_token: '[MASK]',
};

export function createTransformersReference(dir: string): TransformersReference {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${dir}${path.sep}`;

  const layOut = async (local: LocalModel, architecture: string, extra: object): Promise<string> => {
    const name = local.manifest.name;
    const folder = path.join(dir, name);
    await rm(folder, { recursive: true, force: true });
    await mkdir(path.join(folder, 'onnx'), { recursive: true });
    await symlink(local.modelPath, path.join(folder, 'onnx', 'model.onnx'));
    await symlink(local.tokenizerPath, path.join(folder, 'tokenizer.json'));
    await writeFile(
      path.join(folder, 'config.json'),
      JSON.stringify({ model_type: 'bert', architectures: [architecture], ...extra }),
    );
    await writeFile(
      path.join(folder, 'tokenizer_config.json'),
      JSON.stringify({ ...BERT_SPECIAL_TOKENS, model_max_length: local.manifest.maxTokens }),
    );
    return name;
  };

  const inBatches = async <T, R>(
    items: readonly T[],
    batchSize: number,
    run: (batch: T[]) => Promise<R[]>,
  ): Promise<R[]> => {
    const results: R[] = [];
    for (let start = 0; start < items.length; start += batchSize)
      results.push(...(await run(items.slice(start, start + batchSize))));
    return results;
  };

  return {
    async loadEmbedder(local) {
      const name = await layOut(local, 'BertModel', {});
      const tokenizer = await AutoTokenizer.from_pretrained(name);
      const model = await AutoModel.from_pretrained(name, { dtype: 'fp32', device: 'cpu' });
      const { manifest } = local;
      const outputName = manifest.outputName ?? 'last_hidden_state';
      return {
        embed: (texts, batchSize) =>
          inBatches(texts, batchSize, async (batch) => {
            const inputs = tokenizer(batch, { padding: true, truncation: true });
            const outputs = (await model(inputs)) as Record<string, Tensor>;
            const hidden = outputs[outputName];
            if (!hidden) throw new Error(`transformers.js returned no ${outputName}`);
            // The same pooling the feature-extraction pipeline applies, on the named output.
            let pooled =
              manifest.pooling === 'cls'
                ? hidden.slice(null, 0)
                : mean_pooling(hidden, inputs.attention_mask);
            if (manifest.normalize) pooled = pooled.normalize(2, -1);
            const [rows = 0, dimension = 0] = pooled.dims;
            const data = pooled.data as Float32Array;
            return Array.from({ length: rows }, (_, row) =>
              data.slice(row * dimension, (row + 1) * dimension),
            );
          }),
        close: async () => {
          await model.dispose();
        },
      };
    },
    async loadReranker(local) {
      const name = await layOut(local, 'BertForSequenceClassification', {
        id2label: { 0: 'LABEL_0' },
        label2id: { LABEL_0: 0 },
      });
      const tokenizer = await AutoTokenizer.from_pretrained(name);
      const model = await AutoModelForSequenceClassification.from_pretrained(name, {
        dtype: 'fp32',
        device: 'cpu',
      });
      return {
        score: (pairs, batchSize) =>
          inBatches(pairs, batchSize, async (batch) => {
            const inputs = tokenizer(
              batch.map(([query]) => query),
              { text_pair: batch.map(([, passage]) => passage), padding: true, truncation: true },
            );
            const { logits } = (await model(inputs)) as { logits: Tensor };
            return Array.from(logits.sigmoid().data as Float32Array);
          }),
        close: async () => {
          await model.dispose();
        },
      };
    },
  };
}
