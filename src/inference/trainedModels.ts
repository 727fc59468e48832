/**
 * Models trained by `npm run train:models` (scripts/train): the bi-encoder and
 * the cross-encoder, each a folder `CACHE_DIR/models/trained/<name>/` with `model.onnx` (fp32), `model-int8.onnx`,
 * `tokenizer.json`, `data-card.json` and `manifest.json`, which names the base
 * model, the data hashes, hyper-parameters, dev metrics, the model's conventions
 * and the sha256 and size of every file.
 *
 * Contract: a trained model is only served when its manifest parses and the
 * files it serves (the chosen variant and the tokenizer) have the size and
 * sha256 the manifest records. Anything else is `invalid` with a reason that
 * names the file and what is wrong; the caller keeps the generic model. A
 * missing folder is `absent` (nothing trained yet), not an error.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Config } from '../config.js';
import {
  sha256File,
  type EmbedderManifest,
  type FileStamp,
  type LocalModel,
  type RerankerManifest,
} from './modelStore.js';

export const TRAINED_MANIFEST_FILE = 'manifest.json';
const TOKENIZER_FILE = 'tokenizer.json';
export const TRAIN_COMMAND = 'npm run train:models';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in lowercase hex');
const FileName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a plain file name');

const manifestCommon = {
  formatVersion: z.literal(1),
  kind: z.literal('talentgraph-trained-model'),
  name: z.string().min(1),
  createdAt: z.string(),
  base: z.object({ name: z.string(), source: z.string(), safetensorsSha256: Sha256 }),
  variants: z.object({ fp32: FileName, int8: FileName }),
  files: z.record(FileName, z.object({ sha256: Sha256, size: z.number().int().nonnegative() })),
  seed: z.number().int(),
  metrics: z.unknown(),
};
const TrainedManifestSchema = z.discriminatedUnion('task', [
  z.object({
    ...manifestCommon,
    task: z.literal('embedding'),
    conventions: z.object({
      pooling: z.enum(['mean', 'cls']),
      normalize: z.boolean(),
      queryPrefix: z.string(),
      passagePrefix: z.string(),
      maxTokens: z.number().int().min(8).max(8192),
      dimension: z.number().int().positive(),
      outputName: z.string().min(1),
    }),
  }),
  z.object({
    ...manifestCommon,
    task: z.literal('reranker'),
    conventions: z.object({
      maxTokens: z.number().int().min(8).max(8192),
      outputName: z.string().min(1),
    }),
  }),
]);
export type TrainedManifest = z.infer<typeof TrainedManifestSchema>;
export type TrainedTask = TrainedManifest['task'];
export type LocalFor<T extends TrainedTask> = LocalModel<
  T extends 'embedding' ? EmbedderManifest : RerankerManifest
>;

export type TrainedLookup<T extends TrainedTask> =
  | { readonly status: 'disabled' }
  | { readonly status: 'absent'; readonly dir: string }
  | { readonly status: 'invalid'; readonly dir: string; readonly reason: string }
  | {
      readonly status: 'valid';
      readonly dir: string;
      readonly manifest: Extract<TrainedManifest, { task: T }>;
      readonly local: LocalFor<T>;
    };
export type TrainedEmbedderLookup = TrainedLookup<'embedding'>;
export type TrainedRerankerLookup = TrainedLookup<'reranker'>;

/** How a configured model was chosen: the trained one, or why not. Logged at start-up. */
export interface ModelSelection {
  readonly trained: 'served' | 'absent' | 'invalid' | 'disabled' | 'folder';
  readonly message: string;
}

const WHAT: Record<TrainedTask, string> = { embedding: 'bi-encoder', reranker: 'cross-encoder' };

/** The configured trained bi-encoder, checked against its manifest. Never throws for a bad folder. */
export function findTrainedEmbedder(config: Config): Promise<TrainedEmbedderLookup> {
  return findTrained(config, 'embedding', config.inference.trained.embeddingModel);
}

/** The configured trained cross-encoder, checked against its manifest. Never throws for a bad folder. */
export function findTrainedReranker(config: Config): Promise<TrainedRerankerLookup> {
  return findTrained(config, 'reranker', config.inference.trained.rerankerModel);
}

async function findTrained<T extends TrainedTask>(
  config: Config,
  task: T,
  folder: string,
): Promise<TrainedLookup<T>> {
  const { enabled, dir: trainedDir, variant } = config.inference.trained;
  if (!enabled[task]) return { status: 'disabled' };
  const dir = path.join(trainedDir, folder);
  const manifestPath = path.join(dir, TRAINED_MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'absent', dir };
    return { status: 'invalid', dir, reason: `${manifestPath} cannot be read: ${(error as Error).message}` };
  }
  try {
    const manifest = parseTrainedManifest(text, manifestPath);
    if (manifest.task !== task) {
      throw new TrainedModelError(
        `${manifestPath} describes a ${WHAT[manifest.task]} (task ${manifest.task}), expected a ${WHAT[task]}`,
      );
    }
    const modelFile = manifest.variants[variant];
    const model = await verifyListedFile(dir, modelFile, manifest);
    const tokenizer = await verifyListedFile(dir, TOKENIZER_FILE, manifest);
    const name = variant === 'fp32' ? manifest.name : `${manifest.name}-${variant}`;
    const common = {
      formatVersion: 1 as const,
      name,
      source: `trained:${dir}`,
      model,
      tokenizer,
      maxTokens: manifest.conventions.maxTokens,
      outputName: manifest.conventions.outputName,
    };
    const served =
      manifest.task === 'embedding'
        ? {
            ...common,
            task: 'embedding' as const,
            dimension: manifest.conventions.dimension,
            pooling: manifest.conventions.pooling,
            normalize: manifest.conventions.normalize,
            queryPrefix: manifest.conventions.queryPrefix,
            passagePrefix: manifest.conventions.passagePrefix,
          }
        : { ...common, task: 'reranker' as const };
    const local = {
      dir,
      modelPath: path.join(dir, modelFile),
      tokenizerPath: path.join(dir, TOKENIZER_FILE),
      manifest: served,
    } as LocalFor<T>;
    return { status: 'valid', dir, manifest: manifest as Extract<TrainedManifest, { task: T }>, local };
  } catch (error) {
    if (error instanceof TrainedModelError) return { status: 'invalid', dir, reason: error.message };
    throw error;
  }
}

class TrainedModelError extends Error {
  override readonly name = 'TrainedModelError';
}

/** The manifest, or a `TrainedModelError` naming the file and the first problems found. */
export function parseTrainedManifest(text: string, file: string): TrainedManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new TrainedModelError(`${file} is not valid JSON (corrupt or cut short)`);
  }
  const parsed = TrainedManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new TrainedModelError(`${file} is not a trained-model manifest (format 1): ${issues}`);
  }
  return parsed.data;
}

/** Size and sha256 of `file` against the manifest's record of it. */
async function verifyListedFile(dir: string, file: string, manifest: TrainedManifest): Promise<FileStamp> {
  const expected = manifest.files[file];
  const full = path.join(dir, file);
  if (!expected)
    throw new TrainedModelError(`${path.join(dir, TRAINED_MANIFEST_FILE)} does not list ${file}`);
  let info;
  try {
    info = await stat(full);
  } catch {
    throw new TrainedModelError(`${full} is missing (the manifest lists it)`);
  }
  if (info.size !== expected.size) {
    throw new TrainedModelError(`${full} has ${info.size} bytes, the manifest says ${expected.size}`);
  }
  const sha256 = await sha256File(full);
  if (sha256 !== expected.sha256) {
    throw new TrainedModelError(`${full} has sha256 ${sha256}, the manifest says ${expected.sha256}`);
  }
  return { sha256, size: info.size, mtimeMs: info.mtimeMs };
}

/** The start-up line that says which model is served and why. */
export function describeTrainedLookup<T extends TrainedTask>(
  lookup: TrainedLookup<T>,
  fallback: string,
  task: TrainedTask = 'embedding',
): string {
  const what = WHAT[task];
  switch (lookup.status) {
    case 'disabled':
      return `trained ${what} off (TRAINED_MODELS): serving ${fallback}`;
    case 'absent':
      return `no trained ${what} in ${lookup.dir}: serving the generic ${fallback}; \`${TRAIN_COMMAND}\` trains one on ESCO and the dev title sets`;
    case 'invalid':
      return `trained ${what} in ${lookup.dir} rejected: ${lookup.reason}. Serving the generic ${fallback}; re-run \`${TRAIN_COMMAND}\``;
    case 'valid':
      return `serving the trained ${what} ${lookup.local.manifest.name} (sha256 ${lookup.local.manifest.model.sha256.slice(0, 12)}…, base ${lookup.manifest.base.name}, trained ${lookup.manifest.createdAt}) from ${lookup.dir}`;
  }
}

/**
 * The trained model when its lookup is valid and it opens, else the generic one, with the
 * selection that says which and why (logged at start-up by the caller).
 */
export async function openPreferringTrained<T extends TrainedTask, M>(
  lookup: TrainedLookup<T>,
  task: T,
  fallback: string,
  open: (local: LocalFor<T>) => Promise<M>,
  openGeneric: () => Promise<M>,
): Promise<{ readonly model: M; readonly selection: ModelSelection }> {
  const message = describeTrainedLookup(lookup, fallback, task);
  if (lookup.status !== 'valid')
    return { model: await openGeneric(), selection: { trained: lookup.status, message } };
  try {
    return { model: await open(lookup.local), selection: { trained: 'served', message } };
  } catch (error) {
    const reason = `trained ${WHAT[task]} in ${lookup.dir} could not be loaded: ${(error as Error).message}. Serving the generic ${fallback}`;
    return { model: await openGeneric(), selection: { trained: 'invalid', message: reason } };
  }
}
