import type { CheckResult } from '../../../api/src/contract/index.ts';
import { BoundedBuffer } from './result.buffer.ts';

/**
 * A finished result waiting for the control plane, with the runner id it was produced under:
 * ingest checks slot ownership against that registration, so a result kept across a restart is
 * pushed under the runner id that owned the slot when the check ran.
 */
export interface QueuedResult {
  runnerId: string;
  result: CheckResult;
}

/**
 * Where results wait to be pushed: in memory only, or in memory and on disk (the spool). Both keep
 * an item until it is acknowledged (peek → send → acknowledge by result id) and evict the oldest,
 * counted, when full.
 */
export interface ResultQueue {
  readonly depth: number;
  /** Results held before the oldest is evicted. */
  readonly capacity: number;
  /** Items evicted unsent because the queue was full, since creation. */
  readonly dropped: number;
  /** Loads what a previous process left (spool); must resolve before the first push. */
  open(): Promise<{ recovered: number }>;
  push(entry: QueuedResult): void;
  /** Up to `max` oldest items, without removing them. */
  peek(max: number): QueuedResult[];
  /** Removes the items with these result ids; returns how many were removed. */
  acknowledge(resultIds: Iterable<string>): number;
  /** Writes out what is pending and releases files; the queue is not used afterwards. */
  close(): Promise<void>;
}

/** The in-memory queue: a BoundedBuffer keyed by result id; lost when the process ends. */
export function createMemoryQueue(capacity: number, onDrop?: (entry: QueuedResult) => void): ResultQueue {
  const buffer = new BoundedBuffer<QueuedResult>({ capacity, keyOf: (e) => e.result.id, ...(onDrop ? { onDrop } : {}) });
  return {
    get depth() {
      return buffer.depth;
    },
    capacity,
    get dropped() {
      return buffer.dropped;
    },
    open: async () => ({ recovered: 0 }),
    push: (entry) => buffer.push(entry),
    peek: (max) => buffer.peek(max),
    acknowledge: (ids) => buffer.acknowledge(ids),
    close: async () => undefined,
  };
}
