import type { LoadPlan } from './load.plan.ts';
import type { LoadTally } from './load.tally.ts';

/** workerData of a load-test worker thread. */
export interface WorkerStart {
  marker: 'pharos-load-test-worker';
  plan: LoadPlan;
  tallyEveryMs: number;
}

/** What a load-test worker posts: its tally now and then, and once when it is done. */
export type WorkerMessage =
  | { kind: 'tally'; tally: LoadTally; elapsedMs: number }
  | { kind: 'done'; tally: LoadTally; elapsedMs: number; error?: string };
