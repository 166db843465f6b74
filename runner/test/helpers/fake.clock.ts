import type { Clock, TimerHandle } from '../../src/schedule/clock.port.ts';

interface FakeTimer {
  id: number;
  at: number;
  callback: () => void;
}

/** A manual clock: time moves only through advance(); timers fire in order, optionally early. */
export class FakeClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers = new Map<number, FakeTimer>();
  /** Number of timer callbacks that ran: the scheduler's wake-ups. */
  fired = 0;
  /** Timers set so far. */
  armed = 0;
  /** Fire every timer this many ms off its due time: negative = early (Node does up to 1 ms), positive = late. */
  fireOffsetMs = 0;

  constructor(start = 1_700_000_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const timer = { id: this.#nextId++, at: this.#now + Math.max(0, delayMs), callback };
    this.#timers.set(timer.id, timer);
    this.armed += 1;
    return timer.id;
  }

  clearTimer(handle: TimerHandle): void {
    this.#timers.delete(handle as number);
  }

  /** Pending timers (the scheduler should only ever have one). */
  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time forward without firing anything, like a process stalled by GC or a suspended VM. */
  jump(ms: number): void {
    this.#now += ms;
  }

  /**
   * Moves time forward by ms, firing due timers in order and letting promise callbacks settle
   * after each (as the event loop would); bounded so a runaway loop fails the test.
   */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (let guard = 0; guard < 1_000_000; guard++) {
      let next: FakeTimer | undefined;
      for (const t of this.#timers.values()) if (!next || t.at < next.at) next = t;
      if (!next || next.at + this.fireOffsetMs > end) break;
      this.#timers.delete(next.id);
      this.#now = Math.max(this.#now, next.at + this.fireOffsetMs);
      this.fired += 1;
      next.callback();
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.#now = end;
  }
}
