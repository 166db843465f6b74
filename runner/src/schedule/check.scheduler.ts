import type { Clock, TimerHandle } from './clock.port.ts';
import { MinHeap } from './schedule.heap.ts';
import { nextSlotAt, phaseOffsetMs } from './phase.spread.ts';

/** One execution handed to the executor. */
export interface ScheduledJob<T> {
  id: string;
  payload: T;
  /** When the job was due (for immediate runs: when it was requested). */
  scheduledAt: number;
  startedAt: number;
  /** True for runNow() jobs, which are outside the cadence. */
  immediate: boolean;
}

/** Why a due run did not happen. */
export type SkipReason = 'still_running' | 'fell_behind';

export interface SchedulerOptions<T> {
  clock: Clock;
  /** Runs one job; the scheduler never lets more than maxConcurrent run at once. */
  execute: (job: ScheduledJob<T>) => Promise<void>;
  maxConcurrent: number;
  /** Everything due within this many ms of a wake-up runs in that wake-up. */
  coalesceMs?: number;
  /** Milliseconds between when a scheduled job was due and when it started (never negative). */
  onLateness?: (latenessMs: number) => void;
  onSkip?: (id: string, reason: SkipReason, count: number) => void;
  /** Phase of a monitor within its interval; defaults to a hash of the id. */
  phaseOf?: (id: string, intervalMs: number) => number;
}

export interface SchedulerStats {
  scheduled: number;
  queued: number;
  inFlight: number;
}

interface Slot<T> {
  id: string;
  intervalMs: number;
  phaseMs: number;
  due: number;
  payload: T;
  /** Push order, for ties. */
  seq: number;
  /** Set when the slot is replaced or removed; the heap drops it lazily when it reaches the top. */
  removed: boolean;
}

interface Pending<T> {
  slot?: Slot<T>;
  id: string;
  payload?: T;
  scheduledAt: number;
  immediate: boolean;
}

/** Default coalescing window: Node timers are ~1 ms precise, and a few ms of earliness costs nothing. */
export const defaultCoalesceMs = 5;

/** Rounds of "take what is due, start it" one wake-up does before handing the loop back. */
export const maxRoundsPerWake = 8;

/**
 * Runs every monitor at its interval from one min-heap and one timer.
 *
 * Invariants: a slot's next due time is always previous due + interval (no drift); its phase
 * comes from its id (spread, stable across updates and runners); one timer is armed for the
 * earliest due slot; a monitor never has two scheduled runs in flight; at most maxConcurrent jobs
 * run at once and the wait queue holds at most one entry per monitor, so memory stays bounded
 * however slow the targets get.
 */
export class CheckScheduler<T> {
  readonly #clock: Clock;
  readonly #options: SchedulerOptions<T>;
  readonly #coalesceMs: number;
  readonly #phaseOf: (id: string, intervalMs: number) => number;
  // Ties break by push order so monitors due together run in a stable, fair order.
  readonly #heap = new MinHeap<Slot<T>>((a, b) => a.due - b.due || a.seq - b.seq);
  readonly #slots = new Map<string, Slot<T>>();
  readonly #queue: Pending<T>[] = [];
  readonly #urgent: Pending<T>[] = [];
  readonly #queued = new Set<string>();
  readonly #urgentQueued = new Set<string>();
  readonly #running = new Map<string, number>();
  readonly #inFlight = new Set<Promise<void>>();
  #timer: TimerHandle | undefined;
  #timerDue = Infinity;
  #stopped = false;
  #seq = 0;

  constructor(options: SchedulerOptions<T>) {
    if (!(options.maxConcurrent >= 1)) throw new RangeError('maxConcurrent must be at least 1');
    this.#clock = options.clock;
    this.#options = options;
    // At least 1 ms: Node timers may fire up to 1 ms early, and the window must still catch the slot.
    this.#coalesceMs = Math.max(1, options.coalesceMs ?? defaultCoalesceMs);
    this.#phaseOf = options.phaseOf ?? phaseOffsetMs;
  }

  /** Adds or updates a monitor. Same interval: only the payload changes and the cadence is kept. */
  upsert(id: string, intervalMs: number, payload: T): void {
    this.upsertMany([{ id, intervalMs, payload }]);
  }

  /**
   * Adds or updates many monitors at once (an assignment set), with upsert's rules for each. The
   * phases, the costly part, are all computed before any slot is placed, so each new slot's first due
   * time is taken after that work: a slot whose phase went by while 100,000 ids were hashed waits
   * for its next one instead of starting late because of the hand-over.
   */
  upsertMany(entries: ReadonlyArray<{ id: string; intervalMs: number; payload: T }>): void {
    if (this.#stopped) return;
    for (const { intervalMs } of entries) {
      if (!(intervalMs > this.#coalesceMs)) throw new RangeError(`interval must exceed the ${this.#coalesceMs} ms coalescing window`);
    }
    const phases = entries.map(({ id, intervalMs }) => {
      const existing = this.#slots.get(id);
      return existing && existing.intervalMs === intervalMs ? existing.phaseMs : this.#phaseOf(id, intervalMs);
    });
    entries.forEach(({ id, intervalMs, payload }, i) => {
      const existing = this.#slots.get(id);
      if (existing && existing.intervalMs === intervalMs) {
        existing.payload = payload;
        return;
      }
      if (existing) existing.removed = true;
      const phaseMs = phases[i]!;
      const slot: Slot<T> = { id, intervalMs, phaseMs, due: nextSlotAt(this.#clock.now(), intervalMs, phaseMs), payload, removed: false, seq: this.#seq++ };
      this.#slots.set(id, slot);
      this.#heap.push(slot);
    });
    this.#arm();
  }

  /** Stops scheduling a monitor; a run already in flight finishes, a queued one is dropped. */
  remove(id: string): void {
    const slot = this.#slots.get(id);
    if (!slot) return;
    slot.removed = true;
    this.#slots.delete(id);
  }

  /** Ids currently scheduled. */
  ids(): IterableIterator<string> {
    return this.#slots.keys();
  }

  /** The payload a monitor is scheduled with. */
  payloadOf(id: string): T | undefined {
    return this.#slots.get(id)?.payload;
  }

  /** When the monitor is next due, or undefined when it is not scheduled. */
  nextDueAt(id: string): number | undefined {
    return this.#slots.get(id)?.due;
  }

  /**
   * Runs a monitor as soon as a concurrency slot frees up, ahead of scheduled work and without
   * touching its cadence (confirmation checks). `payload` defaults to the scheduled one.
   * Returns false when there is nothing to run or the same run is already waiting.
   */
  runNow(id: string, payload?: T): boolean {
    if (this.#stopped || this.#urgentQueued.has(id)) return false;
    const effective = payload ?? this.#slots.get(id)?.payload;
    if (effective === undefined) return false;
    this.#urgent.push({ id, payload: effective, scheduledAt: this.#clock.now(), immediate: true });
    this.#urgentQueued.add(id);
    this.#pump();
    return true;
  }

  /** Counts for metrics and health. */
  stats(): SchedulerStats {
    return { scheduled: this.#slots.size, queued: this.#queue.length + this.#urgent.length, inFlight: this.#inFlight.size };
  }

  /** Stops the timer, drops queued work and waits for runs in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#heap.clear();
    this.#slots.clear();
    this.#queue.length = 0;
    this.#urgent.length = 0;
    this.#queued.clear();
    this.#urgentQueued.clear();
    await Promise.allSettled([...this.#inFlight]);
  }

  /** Keeps exactly one timer armed for the earliest live slot. */
  #arm(): void {
    if (this.#stopped) return;
    while (this.#heap.peek()?.removed) this.#heap.pop();
    const top = this.#heap.peek();
    if (!top) return;
    // An armed timer that fires no later than the top is fine: waking early just re-arms.
    if (this.#timer !== undefined && this.#timerDue <= top.due) return;
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
    this.#timerDue = top.due;
    this.#timer = this.#clock.setTimer(() => this.#wake(), Math.max(0, top.due - this.#clock.now()));
  }

  #wake(): void {
    this.#timer = undefined;
    this.#timerDue = Infinity;
    if (this.#stopped) return;
    // Starting a batch runs its checks' synchronous parts. Slots that fall due meanwhile are taken
    // in this wake-up, not after a trip through the event loop's I/O phase (which a busy runner fills
    // with responses); bounded, so the I/O of checks in flight still gets its turn.
    for (let round = 0; round < maxRoundsPerWake; round++) {
      // The window also absorbs Node timers firing up to 1 ms early: the slot is still taken now.
      const taken = this.#takeDue(this.#clock.now() + this.#coalesceMs);
      this.#pump();
      if (taken === 0) break;
    }
    this.#arm();
  }

  /** Moves every slot due by `horizon` to the queue (or skips it) and re-inserts it at its next due time. */
  #takeDue(horizon: number): number {
    let taken = 0;
    for (let top = this.#heap.peek(); top && top.due <= horizon; top = this.#heap.peek()) {
      this.#heap.pop();
      if (top.removed) continue;
      taken++;
      this.#enqueue(top);
      let next = top.due + top.intervalMs;
      if (next <= horizon) {
        // The process stalled past whole intervals: skip them rather than fire a burst.
        const behind = Math.floor((horizon - top.due) / top.intervalMs);
        next = top.due + (behind + 1) * top.intervalMs;
        this.#options.onSkip?.(top.id, 'fell_behind', behind);
      }
      top.due = next;
      top.seq = this.#seq++;
      this.#heap.push(top);
    }
    return taken;
  }

  #enqueue(slot: Slot<T>): void {
    if (this.#queued.has(slot.id) || this.#running.has(slot.id)) {
      this.#options.onSkip?.(slot.id, 'still_running', 1);
      return;
    }
    this.#queue.push({ slot, id: slot.id, scheduledAt: slot.due, immediate: false });
    this.#queued.add(slot.id);
  }

  #pump(): void {
    while (!this.#stopped && this.#inFlight.size < this.#options.maxConcurrent) {
      const pending = this.#urgent.shift() ?? this.#queue.shift();
      if (!pending) return;
      if (pending.immediate) this.#urgentQueued.delete(pending.id);
      else this.#queued.delete(pending.id);
      if (pending.slot?.removed) continue;
      const payload = pending.slot ? pending.slot.payload : (pending.payload as T);
      this.#start({ id: pending.id, payload, scheduledAt: pending.scheduledAt, startedAt: this.#clock.now(), immediate: pending.immediate });
    }
  }

  #start(job: ScheduledJob<T>): void {
    if (!job.immediate) this.#options.onLateness?.(Math.max(0, job.startedAt - job.scheduledAt));
    this.#running.set(job.id, (this.#running.get(job.id) ?? 0) + 1);
    let started: Promise<void>;
    try {
      // Called synchronously so a wake-up starts its jobs before it returns.
      started = Promise.resolve(this.#options.execute(job));
    } catch (err) {
      started = Promise.reject(err);
    }
    const run = started
      .catch(() => {
        // The executor reports its own failures; a throw here must not stall the scheduler.
      })
      .finally(() => {
        const left = (this.#running.get(job.id) ?? 1) - 1;
        if (left > 0) this.#running.set(job.id, left);
        else this.#running.delete(job.id);
        this.#inFlight.delete(run);
        this.#pump();
      });
    this.#inFlight.add(run);
  }
}
