/**
 * Models trained by `npm run train:models` (scripts/train): a folder
 * `CACHE_DIR/models/trained/<name>/` with `model.onnx` (fp32), `model-int8.onnx`,
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
import { sha256File, type EmbedderManifest, type FileStamp, type LocalModel } from './modelStore.js';

export const TRAINED_MANIFEST_FILE = 'manifest.json';
const TOKENIZER_FILE = 'tokenizer.json';
export const TRAIN_COMMAND = 'npm run train:models';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in lowercase hex');
const FileName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a plain file name');

const TrainedManifestSchema = z.object({
  formatVersion: z.literal(1),
  kind: z.literal('talentgraph-trained-model'),
  task: z.literal('embedding'),
  name: z.string().min(1),
  createdAt: z.string(),
  base: z.object({ name: z.string(), source: z.string(), safetensorsSha256: Sha256 }),
  conventions: z.object({
    pooling: z.enum(['mean', 'cls']),
    normalize: z.boolean(),
    queryPrefix: z.string(),
    passagePrefix: z.string(),
    maxTokens: z.number().int().min(8).max(8192),
    dimension: z.number().int().positive(),
    outputName: z.string().min(1),
  }),
  variants: z.object({ fp32: FileName, int8: FileName }),
  files: z.record(FileName, z.object({ sha256: Sha256, size: z.number().int().nonnegative() })),
  seed: z.number().int(),
  metrics: z.unknown(),
});
export type TrainedManifest = z.infer<typeof TrainedManifestSchema>;

export type TrainedEmbedderLookup =
  | { readonly status: 'disabled' }
  | { readonly status: 'absent'; readonly dir: string }
  | { readonly status: 'invalid'; readonly dir: string; readonly reason: string }
  | {
      readonly status: 'valid';
      readonly dir: string;
      readonly manifest: TrainedManifest;
      readonly local: LocalModel<EmbedderManifest>;
    };

/** The configured trained bi-encoder, checked against its manifest. Never throws for a bad folder. */
export async function findTrainedEmbedder(config: Config): Promise<TrainedEmbedderLookup> {
  const { enabled, dir: trainedDir, embeddingModel, variant } = config.inference.trained;
  if (!enabled) return { status: 'disabled' };
  const dir = path.join(trainedDir, embeddingModel);
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
    const modelFile = manifest.variants[variant];
    const model = await verifyListedFile(dir, modelFile, manifest);
    const tokenizer = await verifyListedFile(dir, TOKENIZER_FILE, manifest);
    const c = manifest.conventions;
    const name = variant === 'fp32' ? manifest.name : `${manifest.name}-${variant}`;
    const local: LocalModel<EmbedderManifest> = {
      dir,
      modelPath: path.join(dir, modelFile),
      tokenizerPath: path.join(dir, TOKENIZER_FILE),
      manifest: {
        formatVersion: 1,
        task: 'embedding',
        name,
        source: `trained:${dir}`,
        model,
        tokenizer,
        maxTokens: c.maxTokens,
        outputName: c.outputName,
        dimension: c.dimension,
        pooling: c.pooling,
        normalize: c.normalize,
        queryPrefix: c.queryPrefix,
        passagePrefix: c.passagePrefix,
      },
    };
    return { status: 'valid', dir, manifest, local };
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

/** The start-up line that says which bi-encoder is served and why. */
export function describeTrainedLookup(lookup: TrainedEmbedderLookup, fallback: string): string {
  switch (lookup.status) {
    case 'disabled':
      return `trained models off (TRAINED_MODELS=off): serving ${fallback}`;
    case 'absent':
      return `no trained bi-encoder in ${lookup.dir}: serving the generic ${fallback}; \`${TRAIN_COMMAND}\` trains one on ESCO and the dev title sets`;
    case 'invalid':
      return `trained bi-encoder in ${lookup.dir} rejected: ${lookup.reason}. Serving the generic ${fallback}; re-run \`${TRAIN_COMMAND}\``;
    case 'valid':
      return `serving the trained bi-encoder ${lookup.local.manifest.name} (sha256 ${lookup.local.manifest.model.sha256.slice(0, 12)}…, base ${lookup.manifest.base.name}, trained ${lookup.manifest.createdAt}) from ${lookup.dir}`;
  }
}
