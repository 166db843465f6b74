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
  let nextStart = 0;
  const waiting: (() => void)[] = [];
  const acquire = async (): Promise<void> => {
    if (active >= options.concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    const at = Math.max(now(), nextStart);
    nextStart = at + spacing;
    const wait = at - now();
    if (wait > 0) await sleep(wait);
  };
  const release = (): void => {
    active -= 1;
    waiting.shift()?.();
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
