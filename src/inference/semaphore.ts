/** Counting semaphore: at most `permits` callers inside `use` at once, the rest wait in arrival order. */
export interface Semaphore {
  use<T>(task: () => Promise<T>): Promise<T>;
}

export function createSemaphore(permits: number): Semaphore {
  if (!Number.isInteger(permits) || permits < 1)
    throw new RangeError(`permits must be a positive integer, got ${permits}`);
  let free = permits;
  const waiting: Array<() => void> = [];

  const acquire = (): Promise<void> => {
    if (free > 0) {
      free -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    // Hand the permit straight to the next waiter so a newcomer cannot overtake it.
    const next = waiting.shift();
    if (next) next();
    else free += 1;
  };

  return {
    async use(task) {
      await acquire();
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
