/**
 * Generates the deterministic demo dataset from the ESCO graph:
 *
 *   npx tsx scripts/demo-generate.ts [--candidates N] [--vacancies M] [--seed S]
 *                                    [--outcome-bias B] [--as-of ISO] [--out DIR]
 *
 * Defaults: 10000 candidates, 1000 vacancies, seed 42, bias 0, out .data/demo. Reads the database
 * named by the configuration (NEO4J_URI, else the local service's port); it never starts Neo4j.
 * Writes DIR/people.jsonl, DIR/fit.jsonl and DIR/manifest.json (see src/demo/README.md).
 */
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, PROJECT_ROOT, type Config } from '../src/config.js';
import { EscoSnapshotError, loadEscoSnapshot, type EscoSnapshot } from '../src/demo/escoSnapshot.js';
import { DEFAULT_DEMO_OPTIONS, resolveDemoOptions, type DemoOptions } from '../src/demo/generateDemo.js';
import { writeDemoFiles } from '../src/demo/writeDemoFiles.js';
import { CypherRegistry } from '../src/graph/cypherRegistry.js';
import { Neo4jGateway } from '../src/graph/gateway.js';

const USAGE = `usage: npx tsx scripts/demo-generate.ts [--candidates N] [--vacancies M] [--seed S]
                                      [--outcome-bias B] [--as-of ISO-DATE-TIME] [--out DIR]
defaults: --candidates ${DEFAULT_DEMO_OPTIONS.candidates} --vacancies ${DEFAULT_DEMO_OPTIONS.vacancies} --seed ${DEFAULT_DEMO_OPTIONS.seed} --outcome-bias 0 --as-of ${DEFAULT_DEMO_OPTIONS.asOf} --out .data/demo`;

/** A failure the user can fix; `showUsage` for bad arguments. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly showUsage = false,
  ) {
    super(message);
  }
}

function parseCli(argv: string[]): { options: DemoOptions; out: string } | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        candidates: { type: 'string' },
        vacancies: { type: 'string' },
        seed: { type: 'string' },
        'outcome-bias': { type: 'string' },
        'as-of': { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), 2, true);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const integer = (name: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const value = Number(raw.replace(/_/g, ''));
    if (!Number.isSafeInteger(value) || value < 0)
      throw new CliError(`--${name} must be a non-negative integer, got "${raw}"`, 2, true);
    return value;
  };
  const bias = values['outcome-bias'] === undefined ? undefined : Number(values['outcome-bias']);
  if (bias !== undefined && !(bias >= 0 && bias <= 1)) {
    throw new CliError(`--outcome-bias must be a number in [0, 1], got "${values['outcome-bias']}"`, 2, true);
  }
  return {
    options: {
      candidates: integer('candidates', values.candidates),
      vacancies: integer('vacancies', values.vacancies),
      seed: integer('seed', values.seed),
      outcomeBias: bias,
      asOf: values['as-of'],
    },
    out: path.resolve(values.out ?? path.join(PROJECT_ROOT, '.data', 'demo')),
  };
}

/** True when something accepts TCP connections on the port: a fast, clear check before Bolt. */
function isListening(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function connect(config: Config): Promise<Neo4jGateway> {
  const registry = CypherRegistry.load();
  const n = config.neo4j;
  const uri = n.mode === 'remote' ? n.uri : `bolt://127.0.0.1:${n.boltPort}`;
  const hint =
    n.mode === 'remote'
      ? 'check NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD'
      : 'start the service (npm start) or set NEO4J_URI';
  if (n.mode === 'local' && !(await isListening('127.0.0.1', n.boltPort))) {
    throw new CliError(`No Neo4j is listening on ${uri}: ${hint}.`, 1);
  }
  const gateway =
    n.mode === 'remote'
      ? new Neo4jGateway({
          uri,
          user: n.user,
          password: n.password,
          database: n.database,
          txTimeoutMs: n.txTimeoutMs,
          registry,
        })
      : new Neo4jGateway({ uri, database: n.database, txTimeoutMs: n.txTimeoutMs, registry });
  try {
    await gateway.verifyConnectivity();
  } catch (error) {
    await gateway.close();
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`Cannot use Neo4j at ${uri} (${reason}): ${hint}.`, 1);
  }
  return gateway;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2).filter((a) => a !== '--'));
  if (cli === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let options: DemoOptions;
  try {
    // Checked before connecting, so a typo fails in milliseconds, not after loading ESCO.
    options = resolveDemoOptions(cli.options);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), 2, true);
  }
  const config = loadConfig();
  const gateway = await connect(config);
  let snapshot: EscoSnapshot;
  const loadStarted = performance.now();
  try {
    snapshot = await loadEscoSnapshot(gateway);
  } finally {
    await gateway.close();
  }
  process.stdout.write(
    `ESCO snapshot: ${snapshot.occupations.length} occupations, ${snapshot.skills.length} skills (${seconds(performance.now() - loadStarted)})\n`,
  );
  const report = await writeDemoFiles(snapshot, options, cli.out);
  const { counts } = report;
  process.stdout.write(
    [
      `Demo data (seed ${report.options.seed}, outcome bias ${report.options.outcomeBias}, as of ${report.options.asOf}) in ${seconds(report.durationMs)}:`,
      `  candidates   ${counts.candidates}`,
      `  vacancies    ${counts.vacancies}`,
      `  applications ${counts.applications}`,
      `  fit labels   ${counts.fitRecords}`,
      `  ${report.files.people}`,
      `  ${report.files.fit}`,
      `  ${report.files.manifest}`,
      '',
    ].join('\n'),
  );
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`demo-generate: ${message}\n`);
  if (error instanceof CliError) {
    if (error.showUsage) process.stderr.write(`${USAGE}\n`);
    process.exitCode = error.exitCode;
  } else if (error instanceof ConfigError || error instanceof EscoSnapshotError) {
    process.exitCode = 2;
  } else {
    // Unexpected: keep the stack for a bug report.
    if (error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
}
