import { performance } from 'node:perf_hooks';
import { Pool, type Dispatcher } from 'undici';
import { toCheckFailure } from '../checks/check.errors.ts';
import type { LoadPlan } from './load.plan.ts';
import { RateLimiter } from './rate.limiter.ts';
import { recordAnswer, recordFailure, type LoadTally } from './load.tally.ts';

/** How a run ended. */
export interface LoadRunEnd {
  elapsedMs: number;
  /** Set when the run could not go on (e.g. the target's origin cannot be dialled at all). */
  error?: string;
}

interface Lane {
  startedAt: number;
  /** Whether a request is in flight (the sweep times out only those). */
  busy: boolean;
  /** Reused request after request until it is aborted (a timeout), then replaced. */
  controller: AbortController;
  options: Dispatcher.RequestOptions;
  timedOut: boolean;
}

/**
 * Runs a plan with undici: one Pool of `concurrency` keep-alive connections to the target's
 * origin, `concurrency` lanes each sending its next request when the previous one finished
 * (paced by one shared rate limiter when the plan has a rate), until the requests are sent, the
 * duration or the deadline is over, or `signal` aborts. Every finished request goes into `tally`
 * (answered: status and latency; failed: the runner's failure code, the same classification as
 * checks). Requests cut off by an abort are not counted. Never rejects.
 */
export async function runLoad(plan: LoadPlan, tally: LoadTally, signal: AbortSignal): Promise<LoadRunEnd> {
  const startedAt = performance.now();
  const url = new URL(plan.url);
  const path = url.pathname + url.search;
  const endAt = Math.min(plan.durationMs === null ? Number.POSITIVE_INFINITY : startedAt + plan.durationMs, startedAt + Math.max(0, plan.deadlineAt - Date.now()));
  const pool = new Pool(url.origin, {
    connections: plan.concurrency,
    pipelining: 1,
    connect: { timeout: plan.timeoutMs, rejectUnauthorized: plan.verifyTls },
    // The lane's own timer is the per-request timeout; these only keep undici's defaults from firing first.
    headersTimeout: plan.timeoutMs + 1000,
    bodyTimeout: plan.timeoutMs + 1000,
    keepAliveTimeout: 4_000,
  });
  const limiter = plan.ratePerSecond === null ? undefined : new RateLimiter(plan.ratePerSecond);
  const base: Dispatcher.RequestOptions = { path, method: plan.method as Dispatcher.HttpMethod, headers: plan.headers, body: plan.body };
  const armed = (lane: Lane): void => {
    lane.controller = new AbortController();
    lane.options = { ...base, signal: lane.controller.signal };
  };
  const lanes: Lane[] = Array.from({ length: plan.concurrency }, () => {
    const controller = new AbortController();
    return { startedAt: 0, busy: false, controller, options: { ...base, signal: controller.signal }, timedOut: false };
  });
  let issued = 0;
  let stopping = false;
  const done = (): boolean => stopping || signal.aborted || performance.now() >= endAt || (plan.requests !== null && issued >= plan.requests);
  const wake = new Set<() => void>();
  const onAbort = (): void => {
    stopping = true;
    for (const lane of lanes) lane.controller.abort();
    for (const w of wake) w();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  // The duration is over: requests in flight may finish (they are counted) but no new one starts.
  const onAbortAtEnd = (): void => {
    for (const w of wake) w();
  };
  // One sweep for every lane's timeout, instead of a timer per request.
  const sweepMs = Math.max(5, Math.min(100, Math.floor(plan.timeoutMs / 4)));
  const sweeper = setInterval(() => {
    const now = performance.now();
    for (const lane of lanes) {
      if (lane.busy && !lane.timedOut && now - lane.startedAt >= plan.timeoutMs) {
        lane.timedOut = true;
        lane.controller.abort();
      }
    }
    if (now >= endAt) onAbortAtEnd();
  }, sweepMs);

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        wake.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      wake.add(finish);
    });

  let fatal: string | undefined;

  const send = async (lane: Lane): Promise<void> => {
    lane.timedOut = false;
    lane.busy = true;
    lane.startedAt = performance.now();
    try {
      const res = await pool.request(lane.options);
      await drain(res.body);
      recordAnswer(tally, res.statusCode, (performance.now() - lane.startedAt) * 1000);
    } catch (err) {
      if (lane.timedOut) recordFailure(tally, 'timeout');
      else if (!stopping && !signal.aborted) recordFailure(tally, toCheckFailure(err).code);
    } finally {
      lane.busy = false;
      if (lane.controller.signal.aborted && !stopping && !signal.aborted) armed(lane);
    }
  };

  const runLane = async (lane: Lane): Promise<void> => {
    while (!done()) {
      if (limiter) {
        const wait = limiter.reserve(performance.now());
        if (wait > 0) await pause(wait);
        if (done()) return;
      }
      issued += 1;
      await send(lane);
    }
  };

  try {
    await Promise.all(lanes.map(runLane));
  } catch (err) {
    fatal = (err as Error).message;
  } finally {
    clearInterval(sweeper);
    signal.removeEventListener('abort', onAbort);
    await pool.destroy().catch(() => {});
  }
  const end: LoadRunEnd = { elapsedMs: Math.round(performance.now() - startedAt) };
  if (fatal !== undefined) end.error = fatal;
  return end;
}

/** Reads a body to its end without keeping it: the latency is to the last byte, as a user sees it. */
function drain(body: Dispatcher.ResponseData['body']): Promise<void> {
  return new Promise((resolve, reject) => {
    body.on('data', () => {});
    body.once('end', resolve);
    body.once('error', reject);
    body.once('close', resolve);
  });
}
