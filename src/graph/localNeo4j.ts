/**
 * The local Neo4j used when `NEO4J_URI` is unset: builds `neo4j-launcher/` with Maven when its
 * sources changed, then runs it as a child JVM serving Bolt on 127.0.0.1 without authentication.
 *
 * Contract with `neo4j-launcher/src/main/java/talentgraph/Neo4jLauncher.java` (keep both in step):
 * one stdout line `TALENTGRAPH_NEO4J_READY <uri>` when ready; on a failed start one stderr line
 * `TALENTGRAPH_NEO4J_ERROR <CODE> <detail>` and exit code 20 (store locked), 21 (port in use) or 1.
 *
 * Nothing here installs signal handlers or reads the environment: the caller owns both. The JVM is
 * started with `--exit-on-stdin-eof`, so it also exits when this process dies without calling stop().
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { link, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { PROJECT_ROOT } from '../config.js';
import { runCommand } from '../system/runCommand.js';

export type LocalNeo4jFailure =
  | 'JAVA_MISSING'
  | 'MVN_MISSING'
  | 'PORT_IN_USE'
  | 'STORE_LOCKED'
  | 'DOWNLOAD_FAILED'
  | 'BUILD_FAILED'
  | 'START_TIMEOUT'
  | 'EXITED';

/** A failure to build or start the local Neo4j; `message` says what a person should do about it. */
export class LocalNeo4jError extends Error {
  override readonly name = 'LocalNeo4jError';
  constructor(
    readonly reason: LocalNeo4jFailure,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface LocalNeo4jHandle {
  /** `bolt://127.0.0.1:<port>`; connect without credentials (auth is off on loopback). */
  readonly uri: string;
  readonly pid: number;
  /** SIGTERM, then SIGKILL after 30 s; resolves once the JVM has exited. Safe to call repeatedly. */
  stop(): Promise<void>;
  /** Settles when the JVM exits: its exit code (143 after stop()'s SIGTERM), or null if killed by a signal. */
  readonly exited: Promise<number | null>;
}

export interface StartLocalNeo4jOptions {
  readonly boltPort: number;
  readonly dataDir: string;
  readonly heapMb: number;
  readonly pageCacheMb: number;
  readonly readyTimeoutMs: number;
  readonly log: (msg: string) => void;
  /** False: Neo4j's own vector-index population settings instead of `vectorIndexSettings` (benchmark baseline). */
  readonly vectorIndexTuning?: boolean;
  /** Neo4j settings by name (as in neo4j.conf), passed as `--setting name=value`; override the launcher's. */
  readonly settings?: Readonly<Record<string, string>>;
}

const LAUNCHER_DIR = path.join(PROJECT_ROOT, 'neo4j-launcher');
const TARGET_DIR = path.join(LAUNCHER_DIR, 'target');
const CLASSES_DIR = path.join(TARGET_DIR, 'classes');
const LIB_DIR = path.join(TARGET_DIR, 'lib');
const LAUNCHER_CLASS_FILE = path.join(CLASSES_DIR, 'talentgraph', 'Neo4jLauncher.class');
/** Holds the hash of the launcher's sources that target/ was built from. */
const STAMP_FILE = path.join(TARGET_DIR, 'talentgraph-build.sha256');
/**
 * Serialises builds across processes: test tiers, `npm start` and the scripts may each start a local
 * Neo4j at the same time, and each would otherwise run `mvn package` into the same target/.
 */
const BUILD_LOCK_FILE = path.join(TARGET_DIR, 'talentgraph-build.lock');
const MAIN_CLASS = 'talentgraph.Neo4jLauncher';

const READY_PREFIX = 'TALENTGRAPH_NEO4J_READY ';
const ERROR_PREFIX = 'TALENTGRAPH_NEO4J_ERROR ';
const EXIT_STORE_LOCKED = 20;
const EXIT_PORT_IN_USE = 21;
const STOP_GRACE_MS = 30_000;
const MIN_JAVA = 17;

/**
 * What Neo4j 5.26's own launcher adds to the java command line: the required `server.jvm.additional`
 * entries of its neo4j.conf (the same list neo4j-admin's config migrator injects; 5.26 needs no
 * `--add-exports`). Without the java.nio opening the page cache falls back to slower buffers, and
 * native vector-index building needs it.
 */
const NEO4J_JVM_FLAGS = [
  '--add-opens=java.base/java.nio=ALL-UNNAMED',
  '--add-opens=java.base/java.io=ALL-UNNAMED',
  '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
  '--enable-native-access=ALL-UNNAMED',
  '-Dio.netty.tryReflectionSetAccessible=true',
  '-Djdk.nio.maxCachedBufferSize=1024',
  '-Dlog4j2.disable.jmx=true',
  '-Dfile.encoding=UTF-8',
  '-XX:-OmitStackTraceInFastThrow',
];

/**
 * Vector-index population settings (CREATE VECTOR INDEX over stored vectors, and every rebuild), as
 * `--setting`s. With Neo4j 5.26's defaults a population flushes a Lucene segment every few MB and
 * merges 1,000 at a time, so a 200k-vector index came out as 40 HNSW segments, each searched for the
 * full k: top-500 p50 76.4 ms, against 17.2 ms as one segment with these settings (heap 2 GiB;
 * building took 148 s instead of 123 s; `npm run bench -- segments`, 5 Dec). At 1M (heap 4 GiB) the
 * build made 2 segments in 928 s. A buffer of a quarter of the heap (at most 1,900 MB, below
 * Lucene's per-thread limit) flushes rarely, and merging in pairs joins equal-sized segments.
 * Internal settings: re-check them on Neo4j upgrades.
 */
export function vectorIndexSettings(heapMb: number): Record<string, string> {
  return {
    'internal.dbms.index.vector.population_ram_buffer_size': String(
      Math.min(1900, Math.max(64, Math.floor(heapMb / 4))),
    ),
    'internal.dbms.index.vector.population_merge_factor': '2',
  };
}

/**
 * Lucene segments of a local store's vector indexes (one `.si` file each): what a vector query
 * searches one by one. For benchmarks and tests; 0 where the store has none.
 */
export function vectorIndexSegments(dataDir: string): number {
  const root = path.join(dataDir, 'data', 'databases', 'neo4j', 'schema', 'index');
  let count = 0;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name));
      else if (entry.name.endsWith('.si')) count += 1;
    }
  };
  if (!existsSync(root)) return 0;
  for (const entry of readdirSync(root)) if (entry.startsWith('vector')) walk(path.join(root, entry));
  return count;
}

const USE_REMOTE_HINT = 'or set NEO4J_URI to use an existing Neo4j server';

/**
 * Makes sure Java 17+ is present and the launcher is compiled with its jars in target/lib, running
 * `mvn package` only when pom.xml or the Java sources changed since the last build. The first build
 * downloads about 170 MB from Maven Central into ~/.m2; later builds resolve from there offline.
 */
export async function ensureNeo4jLauncherBuilt(log: (msg: string) => void): Promise<{ classpath: string }> {
  await assertJava();
  const classpath = `${CLASSES_DIR}${path.delimiter}${path.join(LIB_DIR, '*')}`;
  const sourceHash = await hashLauncherSources();
  if (await isBuiltFrom(sourceHash)) return { classpath };

  await assertMaven();
  await withBuildLock(log, async () => {
    // Another process may have finished the same build while this one waited for the lock.
    if (await isBuiltFrom(sourceHash)) return;
    log('Building the Neo4j launcher with Maven (the first build downloads about 170 MB into ~/.m2)…');
    const startedAt = Date.now();
    await rm(STAMP_FILE, { force: true });
    // Stale jars from an earlier Neo4j version would otherwise stay on the `lib/*` classpath.
    await rm(LIB_DIR, { recursive: true, force: true });
    await rm(CLASSES_DIR, { recursive: true, force: true });
    const mvn = await runCommand('mvn', ['-B', '-q', '-f', 'pom.xml', 'package'], { cwd: LAUNCHER_DIR });
    if (mvn.status === 'not-found') throw mvn.cause;
    if (mvn.status === 'failed') throw mvn.cause ?? toBuildError(mvn.output);
    await writeFile(STAMP_FILE, `${sourceHash}\n`);
    log(`Neo4j launcher built in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  });
  return { classpath };
}

/**
 * Starts Neo4j on 127.0.0.1:`boltPort` with its store in `dataDir`, resolving once the default
 * database is online. Rejects with a `LocalNeo4jError`; on a timeout the JVM is stopped first.
 */
export async function startLocalNeo4j(options: StartLocalNeo4jOptions): Promise<LocalNeo4jHandle> {
  const { boltPort, dataDir, log } = options;
  const { classpath } = await ensureNeo4jLauncherBuilt(log);
  await assertPortFree(boltPort);
  await mkdir(dataDir, { recursive: true });

  const args = [
    `-Xms${options.heapMb}m`,
    `-Xmx${options.heapMb}m`,
    '-XX:+UseG1GC',
    // A JVM that ran out of heap is no use to anyone; exiting lets the parent see it via `exited`.
    '-XX:+ExitOnOutOfMemoryError',
    ...NEO4J_JVM_FLAGS,
    '-cp',
    classpath,
    MAIN_CLASS,
    '--data-dir',
    dataDir,
    '--bolt-port',
    String(boltPort),
    '--pagecache-mb',
    String(options.pageCacheMb),
    '--exit-on-stdin-eof',
    ...Object.entries({
      ...(options.vectorIndexTuning === false ? {} : vectorIndexSettings(options.heapMb)),
      ...options.settings,
    }).flatMap(([name, value]) => ['--setting', `${name}=${value}`]),
  ];
  log(
    `Starting local Neo4j on 127.0.0.1:${boltPort} (store ${dataDir}, heap ${options.heapMb} MB, page cache ${options.pageCacheMb} MB)`,
  );
  const child = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  // stdin is never written: holding it open is what keeps the JVM alive (--exit-on-stdin-eof).
  child.stdin.on('error', () => undefined);

  const spawnError = new Promise<Error>((resolve) => child.on('error', resolve));
  const pid = child.pid;
  if (pid === undefined) {
    const error = await spawnError;
    throw new LocalNeo4jError('EXITED', `Could not run java: ${error.message}`, { cause: error });
  }
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

  let errorLine: string | undefined;
  const stderrTail: string[] = [];
  readline.createInterface({ input: child.stderr }).on('line', (line) => {
    if (line.startsWith(ERROR_PREFIX)) {
      errorLine = line.slice(ERROR_PREFIX.length);
      return;
    }
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
    log(`neo4j: ${line}`);
  });
  const ready = new Promise<string>((resolve) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith(READY_PREFIX)) resolve(line.slice(READY_PREFIX.length).trim());
      else log(`neo4j: ${line}`);
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const grace = new AbortController();
      const stoppedInTime = await Promise.race([
        exited.then(() => true),
        delay(STOP_GRACE_MS, false, { signal: grace.signal }).catch(() => true),
      ]);
      grace.abort();
      if (!stoppedInTime) {
        log(`Local Neo4j (pid ${pid}) did not stop within ${STOP_GRACE_MS / 1000} s; killing it`);
        child.kill('SIGKILL');
        await exited;
      }
    })();
    return stopping;
  };

  const timeout = new AbortController();
  const startedAt = Date.now();
  try {
    const uri = await Promise.race([
      ready,
      exited.then((code) => {
        throw toStartError(code, errorLine, stderrTail, options);
      }),
      delay(options.readyTimeoutMs, undefined, { signal: timeout.signal }).then(() => {
        throw new LocalNeo4jError(
          'START_TIMEOUT',
          `Local Neo4j was not ready within ${Math.round(options.readyTimeoutMs / 1000)} s and was stopped. ` +
            `See ${path.join(dataDir, 'logs', 'debug.log')}; a large store can need longer to recover: ` +
            `raise NEO4J_LOCAL_READY_TIMEOUT_S.`,
        );
      }),
    ]);
    log(`Local Neo4j ready at ${uri} (pid ${pid}) after ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    return { uri, pid, stop, exited };
  } catch (error) {
    // Covers the timeout (the JVM is still running) and an early exit (stop() is then a no-op).
    await stop();
    throw error;
  } finally {
    timeout.abort();
  }
}

function toStartError(
  code: number | null,
  errorLine: string | undefined,
  stderrTail: readonly string[],
  options: StartLocalNeo4jOptions,
): LocalNeo4jError {
  if (code === EXIT_STORE_LOCKED) {
    return new LocalNeo4jError(
      'STORE_LOCKED',
      `The Neo4j store in ${options.dataDir} is in use by another process (another TalentGraph or Neo4j ` +
        `instance): stop that process, or set NEO4J_LOCAL_DATA_DIR to another folder.`,
    );
  }
  if (code === EXIT_PORT_IN_USE) return portInUse(options.boltPort);
  const detail = errorLine ?? (stderrTail.join('\n').trim() || 'no error output');
  return new LocalNeo4jError(
    'EXITED',
    `Local Neo4j exited during start-up (exit code ${code ?? 'none, killed by a signal'}): ${detail}. ` +
      `Logs are in ${path.join(options.dataDir, 'logs')}.`,
  );
}

function portInUse(port: number): LocalNeo4jError {
  return new LocalNeo4jError(
    'PORT_IN_USE',
    `Port ${port} on 127.0.0.1 is already in use (another Neo4j?): stop whatever listens there, ` +
      `or set NEO4J_LOCAL_BOLT_PORT to a free port.`,
  );
}

/** Fails fast with a clear message; the launcher still maps a bind race to exit code 21. */
function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? portInUse(port) : error),
    );
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve()));
  });
}

async function assertJava(): Promise<void> {
  const missing = (found: string) =>
    new LocalNeo4jError(
      'JAVA_MISSING',
      `Java ${MIN_JAVA}+ not found on PATH (${found}): install a JDK ${MIN_JAVA} ` +
        `(apt-get install openjdk-17-jdk-headless) ${USE_REMOTE_HINT}.`,
    );
  const result = await runCommand('java', ['-version']);
  if (result.status === 'not-found') throw missing('no java command');
  if (result.status === 'failed' && result.cause) throw result.cause;
  // `java -version` prints e.g. `openjdk version "17.0.15"` or, before Java 9, `"1.8.0_402"`.
  const match = /version "(\d+)(?:\.(\d+))?/.exec(result.output);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : Number.NaN;
  if (result.status !== 'ok' || !(major >= MIN_JAVA)) {
    throw missing(match ? `found Java ${major}` : `\`java -version\` printed: ${tail(result.output, 3)}`);
  }
}

async function assertMaven(): Promise<void> {
  const result = await runCommand('mvn', ['-v']);
  if (result.status === 'failed' && result.cause) throw result.cause;
  if (result.status !== 'ok') {
    throw new LocalNeo4jError(
      'MVN_MISSING',
      `Maven (mvn) not found on PATH; it builds the local Neo4j launcher: install Maven 3.8+ ` +
        `(apt-get install maven) ${USE_REMOTE_HINT}.`,
    );
  }
}

const RESOLUTION_FAILURE =
  /Could not (resolve|transfer|find artifact)|Failed to (read artifact descriptor|collect dependencies|retrieve plugin descriptor)|Non-resolvable|Plugin .* could not be resolved|Unknown ?host|Connection (refused|reset|timed out)|offline mode/i;

function toBuildError(output: string): LocalNeo4jError {
  const lastLines = tail(output, 25);
  if (RESOLUTION_FAILURE.test(output)) {
    return new LocalNeo4jError(
      'DOWNLOAD_FAILED',
      `Maven could not download Neo4j's jars from Maven Central: check network access or the proxy / ` +
        `mirror in ~/.m2/settings.xml, then retry, ${USE_REMOTE_HINT}. Maven said:\n${lastLines}`,
    );
  }
  return new LocalNeo4jError(
    'BUILD_FAILED',
    `Building neo4j-launcher with Maven failed (run \`mvn -f neo4j-launcher/pom.xml package\` to see why). ` +
      `Maven said:\n${lastLines}`,
  );
}

/** sha256 over pom.xml and every file under src/, names included, so renames count as changes. */
async function hashLauncherSources(): Promise<string> {
  const sources = (await readdir(path.join(LAUNCHER_DIR, 'src'), { recursive: true }))
    .map((name) => path.join('src', name))
    .sort();
  const hash = createHash('sha256');
  for (const relative of ['pom.xml', ...sources]) {
    const file = path.join(LAUNCHER_DIR, relative);
    if (!(await stat(file)).isFile()) continue;
    hash
      .update(relative)
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  }
  return hash.digest('hex');
}

async function isBuiltFrom(sourceHash: string): Promise<boolean> {
  const stamp = await readFile(STAMP_FILE, 'utf8').catch(() => '');
  if (stamp.trim() !== sourceHash || !existsSync(LAUNCHER_CLASS_FILE)) return false;
  const jars = await readdir(LIB_DIR).catch(() => [] as string[]);
  return jars.some((name) => name.endsWith('.jar'));
}

/**
 * An exclusive lock file holding the builder's pid, created by hard-linking a file that already holds
 * it, so no process ever sees an empty lock. A lock left by a dead process is taken over, so a build
 * killed half-way never blocks later ones.
 */
async function withBuildLock(log: (msg: string) => void, build: () => Promise<void>): Promise<void> {
  await mkdir(TARGET_DIR, { recursive: true });
  const candidate = `${BUILD_LOCK_FILE}.${process.pid}`;
  await writeFile(candidate, String(process.pid));
  let announced = false;
  try {
    for (;;) {
      try {
        await link(candidate, BUILD_LOCK_FILE);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number(await readFile(BUILD_LOCK_FILE, 'utf8').catch(() => ''));
      if (!isProcessAlive(holder)) {
        await rm(BUILD_LOCK_FILE, { force: true });
        continue;
      }
      if (!announced)
        log(`Waiting for another process (pid ${holder}) to finish building the Neo4j launcher…`);
      announced = true;
      await delay(500);
    }
  } finally {
    await rm(candidate, { force: true });
  }
  try {
    await build();
  } finally {
    await rm(BUILD_LOCK_FILE, { force: true });
  }
}

function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Maven's closing advice, the same after every failure. */
const MAVEN_BOILERPLATE =
  /^\[ERROR\]\s*$|^\[ERROR\] (To see the full stack trace|Re-run Maven|For more information about the errors|(-> )?\[Help \d+\])/;

/** The last `lines` informative lines (`runCommand` has already removed terminal colour codes). */
function tail(output: string, lines: number): string {
  return output
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line && !MAVEN_BOILERPLATE.test(line))
    .slice(-lines)
    .join('\n');
}
