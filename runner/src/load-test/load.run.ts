import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { runLoad, type LoadRunEnd } from './load.generator.ts';
import type { WorkerMessage, WorkerStart } from './load.messages.ts';
import type { LoadPlan } from './load.plan.ts';
import { copyTally, emptyTally, type LoadTally } from './load.tally.ts';
import { workerMarker } from './load.worker.ts';

/** Where the generator runs: a worker thread (the runner's way) or the calling thread (for comparison in the bench). */
export type LoadRunMode = 'worker' | 'inline';

/** One running share's generator, seen from the runner's main thread. */
export interface LoadRun {
  /** The latest tally (from the worker: at most `tallyEveryMs` old) and the time since the start. */
  snapshot(): { tally: LoadTally; elapsedMs: number };
  /** Stops sending; in-flight requests are cut off and not counted. `done` settles soon after. */
  stop(): void;
  /** The final tally and how the run ended; never rejects. */
  readonly done: Promise<{ tally: LoadTally } & LoadRunEnd>;
}

/**
 * The worker thread for a start: once bundled, the bundle itself (load.worker.ts's guard picks the
 * worker role); from sources under tsx, a thread that registers tsx's loader first (Node 20 does not
 * carry `--import tsx` into worker threads) and then loads this directory's load.worker.ts.
 */
function newWorker(start: WorkerStart): Worker {
  const here = new URL(import.meta.url);
  if (!here.pathname.endsWith('.ts')) return new Worker(here, { workerData: start });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./load.worker.ts', here).href;
  const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData: start });
}

/** Starts a plan in a worker thread or inline. */
export function startLoadRun(plan: LoadPlan, mode: LoadRunMode = 'worker', tallyEveryMs = 200): LoadRun {
  return mode === 'worker' ? startInWorker(plan, tallyEveryMs) : startInline(plan);
}

function startInline(plan: LoadPlan): LoadRun {
  const tally = emptyTally();
  const controller = new AbortController();
  const startedAt = performance.now();
  const done = runLoad(plan, tally, controller.signal).then((end) => ({ tally, ...end }));
  return { snapshot: () => ({ tally: copyTally(tally), elapsedMs: Math.round(performance.now() - startedAt) }), stop: () => controller.abort(), done };
}

function startInWorker(plan: LoadPlan, tallyEveryMs: number): LoadRun {
  const startedAt = performance.now();
  let latest: LoadTally = emptyTally();
  let latestElapsed = 0;
  const start: WorkerStart = { marker: workerMarker, plan, tallyEveryMs };
  let worker: Worker;
  let resolveDone: (value: { tally: LoadTally } & LoadRunEnd) => void = () => {};
  const done = new Promise<{ tally: LoadTally } & LoadRunEnd>((resolve) => (resolveDone = resolve));
  let settled = false;
  const settle = (value: { tally: LoadTally } & LoadRunEnd): void => {
    if (settled) return;
    settled = true;
    resolveDone(value);
  };
  const elapsed = (): number => Math.round(performance.now() - startedAt);
  try {
    worker = newWorker(start);
  } catch (err) {
    settle({ tally: latest, elapsedMs: 0, error: `could not start the load generator thread: ${(err as Error).message}` });
    return { snapshot: () => ({ tally: latest, elapsedMs: 0 }), stop: () => {}, done };
  }
  worker.on('message', (message: WorkerMessage) => {
    latest = message.tally;
    latestElapsed = message.elapsedMs;
    if (message.kind === 'done') {
      const end: { tally: LoadTally } & LoadRunEnd = { tally: message.tally, elapsedMs: message.elapsedMs };
      if (message.error !== undefined) end.error = message.error;
      settle(end);
    }
  });
  worker.on('error', (err) => settle({ tally: latest, elapsedMs: elapsed(), error: `the load generator failed: ${err.message}` }));
  worker.on('exit', (code) => settle({ tally: latest, elapsedMs: latestElapsed || elapsed(), ...(code === 0 ? {} : { error: `the load generator stopped with exit code ${code}` }) }));
  let stopping = false;
  return {
    snapshot: () => ({ tally: latest, elapsedMs: Math.max(latestElapsed, elapsed()) }),
    stop: () => {
      if (stopping) return;
      stopping = true;
      worker.postMessage({ stop: true });
      // A worker that does not wind down within a second is terminated: a stop must be prompt.
      const hard = setTimeout(() => void worker.terminate(), 1_000);
      hard.unref();
      void done.then(() => clearTimeout(hard));
    },
    done,
  };
}
