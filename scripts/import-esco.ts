/**
 * `npm run import:esco -- [zip|folder|csv …]`: imports (or refreshes) the ESCO graph.
 * Sources: the arguments, else ESCO_DIR / ESCO_ZIPS, else ../shared/esco. Idempotent.
 */
import { connectNeo4j, escoSources } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { formatEscoReport, importEsco } from '../src/import/esco/importEsco.js';
import { createProgress } from '../src/import/progress.js';
import { createLogger } from '../src/logger.js';

const args = process.argv.slice(2).filter((a) => a !== '--');
const config = loadConfig();
const log = createLogger({ logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel });
const { gateway, local } = await connectNeo4j(config, log);
try {
  const sources = args.length > 0 ? args : escoSources(config);
  const report = await importEsco(gateway, {
    sources,
    batchSize: config.esco.batchSize,
    progress: createProgress(),
  });
  process.stdout.write(`${formatEscoReport(report)}\n`);
} catch (error) {
  process.stderr.write(`ESCO import failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  await gateway.close();
  await local?.stop();
}
