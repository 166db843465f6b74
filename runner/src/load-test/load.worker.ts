import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runLoad } from './load.generator.ts';
import type { LoadPlan } from './load.plan.ts';
import { copyTally, emptyTally } from './load.tally.ts';
import { lowerThreadPriority } from './thread.priority.ts';
import type { WorkerMessage, WorkerStart } from './load.messages.ts';

/**
 * The load generator's worker thread: runs one plan off the runner's main event loop, so scheduled
 * checks keep their cadence however hard the generator drives its lanes. Posts the tally every
 * `tallyEveryMs` and once at the end; a {stop: true} message (or the parent going away) ends it.
 * This module is the worker's entry under tsx; in the bundled runner the bundle itself is the
 * entry and this guard picks the worker role.
 */
export const workerMarker = 'pharos-load-test-worker';

async function serve(start: WorkerStart): Promise<void> {
  // Checks come first: on a busy host the kernel runs the main thread before this one.
  lowerThreadPriority();
  const port = parentPort!;
  const plan: LoadPlan = start.plan;
  const tally = emptyTally();
  const stop = new AbortController();
  port.on('message', (message: { stop?: boolean }) => {
    if (message.stop) stop.abort();
  });
  const post = (message: WorkerMessage): void => port.postMessage(message);
  const startedAt = Date.now();
  const timer = setInterval(() => post({ kind: 'tally', tally: copyTally(tally), elapsedMs: Date.now() - startedAt }), start.tallyEveryMs);
  const end = await runLoad(plan, tally, stop.signal);
  clearInterval(timer);
  post({ kind: 'done', tally, ...end });
  port.close();
}

const data = workerData as WorkerStart | undefined;
if (!isMainThread && data?.marker === workerMarker) await serve(data);
