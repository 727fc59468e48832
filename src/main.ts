/**
 * `npm start`: starts Neo4j (unless NEO4J_URI is set), imports ESCO on first start, serves GraphQL.
 * Stops cleanly on SIGINT / SIGTERM (drains requests, closes the driver, shuts Neo4j down).
 */
import './productionMode.js';
import { startApp } from './app.js';
import { ensureConsoleBuilt } from './system/consoleBuild.js';
import { ConfigError, loadConfig, PROJECT_ROOT } from './config.js';
import { ESCO_NOTICE } from './resolvers/EscoDataset.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config);
  const started = Date.now();
  if (config.console.build) {
    const built = await ensureConsoleBuilt({
      root: PROJECT_ROOT,
      outDir: config.console.dir,
      log: (message) => log.info(message),
    });
    if (built.status === 'unavailable' || built.status === 'failed') {
      log.warn({ reason: built.reason }, 'the web console is not built: / serves the plain landing page');
    }
  }
  const app = await startApp(config, log);
  log.info(
    { url: app.url, startupMs: Date.now() - started },
    `TalentGraph ready at ${app.url}. ${ESCO_NOTICE}`,
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    app
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        log.error({ err }, 'error during shutdown');
        process.exit(1);
      });
  };
  void app.neo4jFailed.then((reason) => {
    if (stopping) return;
    stopping = true;
    log.fatal({ err: reason }, `stopping: ${reason.message}`);
    app
      .stop()
      .catch(() => undefined)
      .finally(() => process.exit(1));
  });
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`TalentGraph failed to start: ${message}\n`);
  process.exit(1);
});
