/**
 * Keeps the local Neo4j of `npm start` alive. When its JVM exits without being asked to (killed,
 * crashed, out of memory), it is started again on the same port and store after a backoff
 * (1, 2, 4, 8, 16 s); the gateway's circuit breaker fails requests fast meanwhile and closes by
 * itself once the new process answers. After `maxRestarts` failed or short-lived runs in a row the
 * supervisor gives up and says why (`gaveUp`): the service then exits with that message instead of
 * staying half alive. A run that stays up for `stableMs` resets the count.
 */
import type { LocalNeo4jHandle, StartLocalNeo4jOptions } from './localNeo4j.js';

export interface SupervisorOptions {
  readonly start: (options: StartLocalNeo4jOptions) => Promise<LocalNeo4jHandle>;
  readonly startOptions: StartLocalNeo4jOptions;
  readonly log: {
    error(message: string): void;
    info(message: string): void;
  };
  readonly backoffMs?: readonly number[];
  readonly maxRestarts?: number;
  readonly stableMs?: number;
}

export interface SupervisedNeo4j {
  /** The process now serving (changes after a restart). */
  readonly current: LocalNeo4jHandle;
  /** How many times it was started again. */
  readonly restarts: number;
  /** Settles with the reason when the supervisor stops trying; never while things work. */
  readonly gaveUp: Promise<Error>;
  /** Stops supervising and the process. Idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 16_000] as const;

export function superviseLocalNeo4j(first: LocalNeo4jHandle, options: SupervisorOptions): SupervisedNeo4j {
  const backoff = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const maxRestarts = options.maxRestarts ?? backoff.length;
  const stableMs = options.stableMs ?? 60_000;
  let current = first;
  let startedAt = Date.now();
  let restarts = 0;
  let failuresInRow = 0;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let giveUp: (reason: Error) => void = () => undefined;
  const gaveUp = new Promise<Error>((resolve) => (giveUp = resolve));

  const watch = (handle: LocalNeo4jHandle) => {
    void handle.exited.then((code) => {
      if (stopping || handle !== current) return;
      if (Date.now() - startedAt >= stableMs) failuresInRow = 0;
      options.log.error(
        `local Neo4j (pid ${handle.pid}) exited unexpectedly (exit code ${code ?? 'none, killed by a signal'})`,
      );
      scheduleRestart();
    });
  };

  const scheduleRestart = () => {
    if (failuresInRow >= maxRestarts) {
      giveUp(
        new Error(
          `local Neo4j keeps exiting: gave up after ${failuresInRow} restarts in a row (store ${options.startOptions.dataDir}, port ${options.startOptions.boltPort}); see its log in the store folder`,
        ),
      );
      return;
    }
    const delay = backoff[Math.min(failuresInRow, backoff.length - 1)] ?? 1_000;
    failuresInRow += 1;
    options.log.info(`restarting local Neo4j in ${delay} ms (attempt ${failuresInRow} of ${maxRestarts})`);
    timer = setTimeout(() => void restart(), delay);
    timer.unref();
  };

  const restart = async () => {
    if (stopping) return;
    try {
      const handle = await options.start(options.startOptions);
      if (stopping) {
        await handle.stop();
        return;
      }
      current = handle;
      startedAt = Date.now();
      restarts += 1;
      options.log.info(`local Neo4j restarted (pid ${handle.pid})`);
      watch(handle);
    } catch (error) {
      options.log.error(
        `local Neo4j did not start again: ${error instanceof Error ? error.message : String(error)}`,
      );
      scheduleRestart();
    }
  };

  watch(first);
  return {
    get current() {
      return current;
    },
    get restarts() {
      return restarts;
    },
    gaveUp,
    stop: async () => {
      stopping = true;
      if (timer) clearTimeout(timer);
      await current.stop();
    },
  };
}
