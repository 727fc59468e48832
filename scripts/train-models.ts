/**
 * `npm run train:models [-- options]`: trains the domain bi-encoder and the domain cross-encoder
 * and writes them where the service finds them (CACHE_DIR/models/trained/<name>/, see
 * src/inference/trainedModels.ts).
 *
 * 1. Prepares the training environment (scripts/train/trainingEnv.ts): a venv in CACHE_DIR with
 *    the pinned PyPI packages of scripts/train/requirements.txt, made once (~5 min) and reused.
 * 2. Runs scripts/train/main.py with the venv's Python: base weights, data, dev eval of the base,
 *    contrastive training with runner-up hard negatives, ONNX fp32 + int8 export, dev eval of the
 *    trained model, manifest; then the cross-encoder (scripts/train/cross_pipeline.py): groups
 *    mined by that bi-encoder, listwise training, export, a rerank dev eval beside the generic
 *    cross-encoder, manifest. Each phase prints its time; the whole run stays within
 *    `--max-minutes` (default 60; `--cross-minutes` of it are kept for the cross-encoder).
 *
 * Options after `--` go to main.py (`--quick`, `--steps N`, `--max-minutes M`, `--threads N`,
 * `--out DIR`, `--seed S`, `--no-eval`, …; `--help` lists them). `--setup-only` prepares the
 * environment and stops.
 */
import { loadConfig } from '../src/config.js';
import { ensureTrainingEnv, runTrainingScript, TrainingEnvError } from './train/trainingEnv.js';

const DEFAULT_MAX_MINUTES = 60;
const args = process.argv.slice(2).filter((a) => a !== '--setup-only');
const setupOnly = process.argv.includes('--setup-only');
const config = loadConfig();
const started = performance.now();

try {
  process.stderr.write('▶ training environment\n');
  const env = await ensureTrainingEnv({ cacheDir: config.cacheDir });
  process.stderr.write(
    `✔ training environment: ${env.seconds.toFixed(1)} s (${env.created ? 'created' : 'reused'} ${env.venvDir})\n`,
  );
  if (setupOnly) process.exit(0);
  const code = await runTrainingScript(env, [
    '--cache-dir',
    config.cacheDir,
    '--models-dir',
    config.inference.modelsDir,
    '--name',
    config.inference.trained.embeddingModel,
    ...withRemainingBudget(args, env.seconds),
  ]);
  const minutes = (performance.now() - started) / 60_000;
  process.stderr.write(`npm run train:models: exit ${code} after ${minutes.toFixed(1)} min in all\n`);
  process.exit(code);
} catch (error) {
  if (error instanceof TrainingEnvError) {
    process.stderr.write(`✖ training environment: ${error.message}\n`);
    process.exit(2);
  }
  throw error;
}

/** `--max-minutes` bounds the whole command: the time the environment took is taken off what main.py gets. */
function withRemainingBudget(argv: readonly string[], setupSeconds: number): string[] {
  const at = argv.indexOf('--max-minutes');
  const total = at >= 0 ? Number(argv[at + 1]) : DEFAULT_MAX_MINUTES;
  if (!Number.isFinite(total) || total <= 0) {
    process.stderr.write(`✖ --max-minutes must be a positive number, got ${argv[at + 1]}\n`);
    process.exit(2);
  }
  const rest = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 2)] : [...argv];
  const remaining = Math.max(1, total - setupSeconds / 60);
  return [...rest, '--max-minutes', remaining.toFixed(2)];
}
