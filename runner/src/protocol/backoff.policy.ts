export interface BackoffOptions {
  /** First delay ceiling in ms. */
  initialMs?: number;
  /** Largest delay in ms: small, so a control plane that comes back is noticed within seconds. */
  maxMs?: number;
  factor?: number;
  /** [0, 1) source of jitter; injectable for tests. */
  random?: () => number;
}

export const defaultBackoff = { initialMs: 100, maxMs: 2000, factor: 2 } as const;

/**
 * Exponential backoff with "equal jitter": the n-th delay is uniformly drawn from
 * [c/2, c) with c = min(max, initial × factor^n), so many runners restarted together spread out
 * but never retry at once in a hot loop.
 */
export class Backoff {
  #attempt = 0;
  readonly #initial: number;
  readonly #max: number;
  readonly #factor: number;
  readonly #random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.#initial = options.initialMs ?? defaultBackoff.initialMs;
    this.#max = options.maxMs ?? defaultBackoff.maxMs;
    this.#factor = options.factor ?? defaultBackoff.factor;
    this.#random = options.random ?? Math.random;
  }

  /** The next delay in ms; each call counts one failed attempt. */
  next(): number {
    const ceiling = Math.min(this.#max, this.#initial * this.#factor ** Math.min(this.#attempt, 30));
    this.#attempt += 1;
    return Math.round(ceiling / 2 + this.#random() * (ceiling / 2));
  }

  /** Failed attempts since the last reset. */
  get attempts(): number {
    return this.#attempt;
  }

  /** After a success: the next failure starts from the initial delay again. */
  reset(): void {
    this.#attempt = 0;
  }
}

/** Waits `ms`, or less when `signal` aborts; never rejects. Resolves true when the full time passed. */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
