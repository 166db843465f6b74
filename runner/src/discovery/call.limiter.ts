// Bounds the agent's calls to the Pharos API: at most `concurrency` in flight and at most
// `ratePerSecond` started per second (starts are spaced evenly). Every call of a sync goes through
// one limiter, so a cluster of 10,000 annotated objects cannot flood the control plane.

export interface CallLimiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
}

/** A limiter; `now` and `sleep` are injectable for tests. */
export function createCallLimiter(options: { concurrency: number; ratePerSecond: number; now?: () => number; sleep?: (ms: number) => Promise<void> }): CallLimiter {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const spacing = 1000 / options.ratePerSecond;
  let active = 0;
  let lastStart = -Infinity;
  // Starts are serialized through one chain and each measures its gap from the previous actual
  // start, so late timers on a loaded machine cannot bunch starts together.
  let starts: Promise<void> = Promise.resolve();
  const waiting: (() => void)[] = [];
  const acquire = async (): Promise<void> => {
    // A released slot is handed to the first waiter as is (active unchanged), so a newcomer cannot take it in between.
    if (active >= options.concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else active += 1;
    const turn = starts.then(async () => {
      const wait = lastStart + spacing - now();
      if (wait > 0) await sleep(wait);
      lastStart = now();
    });
    starts = turn;
    await turn;
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active -= 1;
  };
  return {
    async run(fn) {
      await acquire();
      try {
        return await fn();
      } finally {
        release();
      }
    },
  };
}
