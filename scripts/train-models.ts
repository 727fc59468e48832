/**
 * `npm run train:models [-- options]`: trains the domain bi-encoder and the domain cross-encoder
 * and writes them where the service finds them (CACHE_DIR/models/trained/<name>/, see
 * src/inference/trainedModels.ts).
 *
 * 1. Prepares the training environment (scripts/train/trainingEnv.ts): a venv in CACHE_DIR with
 *    the pinned PyPI packages of scripts/train/requirements.txt, made once (~5 min) and reused.
 * 2. With `--outcomes`: reads the configured graph's application outcomes (NEO4J_URI, else the local Neo4j that
 *    `npm start` uses, started here if need be, prepared as `npm start` prepares it): per vacancy,
 *    its applicants graded hired / progressed / rejected with the exact (vacancy, candidate) texts
 *    the ranking's cross-encoder scores, split by the hash of `eval:ranking`
 *    (src/eval/outcomeGroups.ts) → CACHE_DIR/train/outcome-groups.jsonl. Skipped for
 *    `--model bi-encoder`, `--fixture` and `--outcome-groups FILE` (yours).
 * 3. Runs scripts/train/main.py with the venv's Python: base weights, data, dev eval of the base,
 *    contrastive training with runner-up hard negatives, ONNX fp32 + int8 export, dev eval of the
 *    trained model, manifest; then the cross-encoder (scripts/train/cross_pipeline.py): groups
 *    mined by that bi-encoder, listwise training, with outcomes the preference stage
 *    (scripts/train/preference.py), export, rerank and ranking dev evals beside the generic
 *    cross-encoder, manifest. Each phase prints its time; the whole run stays within
 *    `--max-minutes` (default 60; `--cross-minutes` of it are kept for the cross-encoder).
 *
 * Options after `--` go to main.py (`--quick`, `--steps N`, `--max-minutes M`, `--threads N`,
 * `--out DIR`, `--seed S`, `--no-eval`, …; `--help` lists them). `--setup-only` prepares the
 * environment and stops; `--outcomes` adds the preference stage on the graph's outcomes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { connectNeo4j, prepareGraph } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { outcomeGroups } from '../src/eval/outcomeGroups.js';
import { GapRepository } from '../src/graph/gap/gapRepository.js';
import { RankingRepository } from '../src/graph/ranking/rankingRepository.js';
import { silentProgress } from '../src/import/progress.js';
import { ensureTrainingEnv, runTrainingScript, TrainingEnvError } from './train/trainingEnv.js';

const DEFAULT_MAX_MINUTES = 60;
/** The vacancy split of `npm run eval:ranking` and learned fusion (`isValidationVacancy`). */
const VALIDATION_SHARE = 0.3;
const setupOnly = process.argv.includes('--setup-only');
const withOutcomes = process.argv.includes('--outcomes');
const args = process.argv.slice(2).filter((a) => a !== '--setup-only' && a !== '--outcomes');
const config = loadConfig();
const started = performance.now();

try {
  process.stderr.write('▶ training environment\n');
  const env = await ensureTrainingEnv({ cacheDir: config.cacheDir });
  process.stderr.write(
    `✔ training environment: ${env.seconds.toFixed(1)} s (${env.created ? 'created' : 'reused'} ${env.venvDir})\n`,
  );
  if (setupOnly) process.exit(0);
  const outcomes = wantsOutcomes(args) ? await exportOutcomeGroups() : [];
  const code = await runTrainingScript(env, [
    '--cache-dir',
    config.cacheDir,
    '--models-dir',
    config.inference.modelsDir,
    '--name',
    config.inference.trained.embeddingModel,
    ...outcomes,
    ...withRemainingBudget(args, (performance.now() - started) / 1000),
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

/**
 * With `--outcomes`, the cross-encoder's preference stage learns from the graph's application
 * outcomes, read here (the service's texts, `src/eval/outcomeGroups.ts`). Opt-in: on the in-house
 * ranking evaluation the stage did not help (README, "Preference stage"). Not read when the run
 * trains no cross-encoder, trains on a fixture or names its own file (`--outcome-groups`).
 */
function wantsOutcomes(argv: readonly string[]): boolean {
  const model = argv.indexOf('--model');
  if (model >= 0 && argv[model + 1] === 'bi-encoder') return false;
  const help = argv.includes('--help') || argv.includes('-h');
  return withOutcomes && !help && !argv.includes('--fixture') && !argv.includes('--outcome-groups');
}

/** Writes the outcome groups of the configured graph (starting its local Neo4j if need be). */
async function exportOutcomeGroups(): Promise<string[]> {
  const t0 = performance.now();
  process.stderr.write('▶ application outcomes of the graph (ranking cross-encoder pairs)\n');
  const log = pino({ level: 'warn' }, pino.destination(2));
  const { gateway, local } = await connectNeo4j(config, log);
  try {
    // As `npm start` does: schema, ESCO on first use, the demo when the graph holds no people.
    await prepareGraph(gateway, config, log, silentProgress);
    const result = await outcomeGroups(gateway, new RankingRepository(gateway, new GapRepository(gateway)), {
      validationShare: VALIDATION_SHARE,
    });
    const { vacancies, train, dev, pairs } = result.counts;
    if (vacancies === 0) {
      process.stderr.write(
        '  no vacancy with graded outcomes (hired / interviewed / rejected applicants): the ranking stage is skipped\n',
      );
      return [];
    }
    const file = path.join(config.cacheDir, 'train', 'outcome-groups.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, result.groups.map((g) => JSON.stringify(g)).join('\n') + '\n');
    process.stderr.write(
      `✔ application outcomes: ${vacancies} vacancies (${train} train, ${dev} dev by the hash split of eval:ranking), ${pairs} applicants, sha256 ${result.sha256.slice(0, 12)}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
    );
    return ['--outcome-groups', file];
  } finally {
    await gateway.close();
    await local?.stop();
  }
}

/** `--max-minutes` bounds the whole command: the time the environment took is taken off what main.py gets. */
function withRemainingBudget(argv: readonly string[], spentSeconds: number): string[] {
  const at = argv.indexOf('--max-minutes');
  const total = at >= 0 ? Number(argv[at + 1]) : DEFAULT_MAX_MINUTES;
  if (!Number.isFinite(total) || total <= 0) {
    process.stderr.write(`✖ --max-minutes must be a positive number, got ${argv[at + 1]}\n`);
    process.exit(2);
  }
  const rest = at >= 0 ? [...argv.slice(0, at), ...argv.slice(at + 2)] : [...argv];
  const remaining = Math.max(1, total - spentSeconds / 60);
  return [...rest, '--max-minutes', remaining.toFixed(2)];
}
