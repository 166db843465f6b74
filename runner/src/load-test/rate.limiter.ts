/**
 * Paces requests to a target rate (GCRA, a token bucket written as "the next free send time"): each
 * call reserves the next send slot and says how long to wait for it, so many lanes sharing one
 * limiter stay at the rate together. A burst of `burstMs` worth of requests may go at once after an
 * idle spell; no more.
 */
export class RateLimiter {
  readonly #intervalMs: number;
  readonly #burstMs: number;
  #nextFreeAt = Number.NEGATIVE_INFINITY;

  constructor(ratePerSecond: number, burstMs = 20) {
    if (!(ratePerSecond > 0)) throw new RangeError('ratePerSecond must be above 0');
    this.#intervalMs = 1000 / ratePerSecond;
    this.#burstMs = Math.max(this.#intervalMs, burstMs);
  }

  /** Reserves one send slot; returns how many ms to wait before sending (0: send now). */
  reserve(nowMs: number): number {
    const slot = Math.max(this.#nextFreeAt, nowMs - this.#burstMs + this.#intervalMs);
    this.#nextFreeAt = slot + this.#intervalMs;
    return Math.max(0, slot - nowMs);
  }
}
