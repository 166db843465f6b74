import type { CheckResult } from '../../../api/src/contract/index.ts';

/** Counts a buffer reports for metrics and health. */
export interface BufferStats {
  depth: number;
  capacity: number;
  /** Items evicted because the buffer was full, since creation. */
  dropped: number;
}

export interface BoundedBufferOptions<T> {
  capacity: number;
  /** Identity of an item, used by acknowledge(). */
  keyOf: (item: T) => string;
  /** Told about every eviction so it is counted where it matters (metrics, logs), never silent. */
  onDrop?: (item: T) => void;
}

/**
 * A FIFO of finished results waiting to be pushed. Items stay until acknowledged, so a failed
 * push loses nothing; when full, the oldest item is evicted and counted.
 *
 * Protocol: peek(n) → send → acknowledge(ids of what the server accepted). Evictions between
 * peek and acknowledge are safe because acknowledgement is by id, not by position.
 */
export class BoundedBuffer<T> {
  // A ring: head is the oldest item, size the number held.
  readonly #ring: (T | undefined)[];
  #head = 0;
  #size = 0;
  #dropped = 0;

  constructor(private readonly options: BoundedBufferOptions<T>) {
    if (!(options.capacity >= 1)) throw new RangeError('capacity must be at least 1');
    this.#ring = new Array<T | undefined>(options.capacity);
  }

  /** Appends an item, evicting (and counting) the oldest when full. */
  push(item: T): void {
    const capacity = this.#ring.length;
    if (this.#size === capacity) {
      const evicted = this.#ring[this.#head] as T;
      this.#head = (this.#head + 1) % capacity;
      this.#size -= 1;
      this.#dropped += 1;
      this.options.onDrop?.(evicted);
    }
    this.#ring[(this.#head + this.#size) % capacity] = item;
    this.#size += 1;
  }

  /** Up to `max` oldest items, without removing them. */
  peek(max: number): T[] {
    const out: T[] = [];
    const n = Math.min(max, this.#size);
    for (let i = 0; i < n; i++) out.push(this.#ring[(this.#head + i) % this.#ring.length] as T);
    return out;
  }

  /** Removes the items with these keys (those the server accepted); returns how many were removed. */
  acknowledge(keys: Iterable<string>): number {
    const done = new Set(keys);
    if (done.size === 0 || this.#size === 0) return 0;
    const capacity = this.#ring.length;
    // Fast path: acknowledgements are nearly always the oldest items, in order.
    let removed = 0;
    while (this.#size > 0 && done.has(this.options.keyOf(this.#ring[this.#head] as T))) {
      this.#ring[this.#head] = undefined;
      this.#head = (this.#head + 1) % capacity;
      this.#size -= 1;
      removed += 1;
    }
    if (removed === done.size) return removed;
    // Slow path: compact the ring, keeping order.
    const kept: T[] = [];
    for (let i = 0; i < this.#size; i++) {
      const item = this.#ring[(this.#head + i) % capacity] as T;
      if (done.has(this.options.keyOf(item))) removed += 1;
      else kept.push(item);
    }
    this.#ring.fill(undefined);
    kept.forEach((item, i) => (this.#ring[i] = item));
    this.#head = 0;
    this.#size = kept.length;
    return removed;
  }

  get depth(): number {
    return this.#size;
  }

  get dropped(): number {
    return this.#dropped;
  }

  /** Depth, capacity and dropped count. */
  stats(): BufferStats {
    return { depth: this.#size, capacity: this.#ring.length, dropped: this.#dropped };
  }
}

/** Default capacity: 5 minutes of 10,000 monitors at 60 s (tens of MB); size it to the outage you want to ride out. */
export const defaultResultBufferCapacity = 50_000;

/** A bounded buffer of CheckResults keyed by result id (ingest is idempotent by that id). */
export function createResultBuffer(
  capacity: number = defaultResultBufferCapacity,
  onDrop?: (result: CheckResult) => void,
): BoundedBuffer<CheckResult> {
  return new BoundedBuffer<CheckResult>({ capacity, keyOf: (r) => r.id, ...(onDrop ? { onDrop } : {}) });
}
