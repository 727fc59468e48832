/**
 * Counting semaphore: at most `permits` callers inside `use` at once. Waiters are served by
 * priority (higher first), then in arrival order, so request-path work (priority 1) overtakes
 * queued background work (priority 0) but never a run already in progress.
 */
export interface Semaphore {
  use<T>(task: () => Promise<T>, priority?: number): Promise<T>;
}

export function createSemaphore(permits: number): Semaphore {
  if (!Number.isInteger(permits) || permits < 1)
    throw new RangeError(`permits must be a positive integer, got ${permits}`);
  let free = permits;
  const waiting: Array<{ priority: number; resolve: () => void }> = [];

  const acquire = (priority: number): Promise<void> => {
    if (free > 0) {
      free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      // Insert after every waiter of the same or higher priority (stable within a priority).
      let at = waiting.length;
      while (at > 0 && waiting[at - 1]!.priority < priority) at -= 1;
      waiting.splice(at, 0, { priority, resolve });
    });
  };
  const release = (): void => {
    // Hand the permit straight to the next waiter so a newcomer cannot overtake it.
    const next = waiting.shift();
    if (next) next.resolve();
    else free += 1;
  };

  return {
    async use(task, priority = 0) {
      await acquire(priority);
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
