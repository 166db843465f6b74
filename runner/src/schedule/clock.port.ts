import { performance } from 'node:perf_hooks';

/** Opaque timer handle; only the clock that made it knows what it is. */
export type TimerHandle = unknown;

/** Time source and one-shot timers, injected so schedulers can be tested with a fake clock. */
export interface Clock {
  /** Epoch milliseconds, monotonic (never steps back when the wall clock is adjusted). */
  now(): number;
  setTimer(callback: () => void, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** The real clock: epoch-anchored monotonic time and Node timers. */
export function createSystemClock(): Clock {
  return {
    // timeOrigin + now() is epoch-aligned like Date.now() but never jumps with NTP steps,
    // so "previous due + interval" stays drift-free.
    now: () => performance.timeOrigin + performance.now(),
    setTimer: (callback, delayMs) => setTimeout(callback, delayMs),
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
}
