/** The clock and timer a coalesced reload uses (the browser's by default; a test passes its own). */
export interface ReloadTimers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserTimers: ReloadTimers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface CoalescedReload {
  /** Asks for a reload: runs now, or once after the one in flight, or when the minimum gap has passed. */
  request(): void;
  /** Stops: a scheduled run is cancelled and a run in flight schedules no other. */
  dispose(): void;
}

/**
 * Turns many reload requests (one per live batch) into few reloads: at most one runs at a time, two
 * starts are at least `minGapMs` apart, and any number of requests made meanwhile cause one more run.
 */
export function coalescedReload(run: () => Promise<unknown>, minGapMs: number, timers: ReloadTimers = browserTimers): CoalescedReload {
  let running = false;
  let pending = false;
  let disposed = false;
  let lastStart = -Infinity;
  let scheduled: unknown;

  const start = () => {
    scheduled = undefined;
    if (disposed) return;
    running = true;
    pending = false;
    lastStart = timers.now();
    run()
      .catch(() => undefined)
      .finally(() => {
        running = false;
        if (pending) schedule();
      });
  };
  const schedule = () => {
    if (disposed || running || scheduled !== undefined) return;
    const wait = lastStart + minGapMs - timers.now();
    if (wait <= 0) start();
    else scheduled = timers.setTimeout(start, wait);
  };
  return {
    request() {
      if (disposed) return;
      pending = true;
      schedule();
    },
    dispose() {
      disposed = true;
      if (scheduled !== undefined) timers.clearTimeout(scheduled);
      scheduled = undefined;
    },
  };
}
