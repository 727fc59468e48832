/**
 * Counting semaphore: at most `permits` callers inside `use` at once. Waiters are served by
 * priority (higher first), then in arrival order, so request-path work (priority 1) overtakes
 * queued background work (priority 0) but never a run already in progress.
 *
 * A waiter may carry an `AbortSignal` (its request's, see `requestScope.ts`): once it aborts,
 * the waiter leaves the queue at once and `use` rejects with the signal's reason, so work queued
 * for a request that timed out or whose client went away never runs. A task already inside
 * `use` is not interrupted.
 */
export interface Semaphore {
  use<T>(task: () => Promise<T>, priority?: number, signal?: AbortSignal): Promise<T>;
  /** Callers waiting for a permit (not counting those inside `use`). */
  waiting(): number;
  /** Callers inside `use`. */
  active(): number;
}

/** Why a signal was aborted, as an Error (a bare `abort()` gives a DOMException AbortError). */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason));
}

export function createSemaphore(permits: number): Semaphore {
  if (!Number.isInteger(permits) || permits < 1)
    throw new RangeError(`permits must be a positive integer, got ${permits}`);
  let free = permits;
  interface Waiter {
    readonly priority: number;
    readonly resolve: () => void;
  }
  const queue: Waiter[] = [];

  const acquire = (priority: number, signal: AbortSignal | undefined): Promise<void> => {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (free > 0) {
      free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const at = queue.indexOf(waiter);
        if (at >= 0) queue.splice(at, 1);
        reject(abortReason(signal!));
      };
      const waiter: Waiter = {
        priority,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      // Insert after every waiter of the same or higher priority (stable within a priority).
      let at = queue.length;
      while (at > 0 && queue[at - 1]!.priority < priority) at -= 1;
      queue.splice(at, 0, waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };
  const release = (): void => {
    // Hand the permit straight to the next waiter so a newcomer cannot overtake it.
    const next = queue.shift();
    if (next) next.resolve();
    else free += 1;
  };

  return {
    async use(task, priority = 0, signal) {
      await acquire(priority, signal);
      try {
        return await task();
      } finally {
        release();
      }
    },
    waiting: () => queue.length,
    active: () => permits - free,
  };
}
