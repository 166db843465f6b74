import { quantileMs } from '../../api/src/contract/load-test-histogram.ts';
import { startLoadRun, type LoadRunMode } from '../../runner/src/load-test/load.run.ts';
import { saturate, type LoadResult } from './load.ts';

// The three load generators `npm run bench loadtest` compares at one concurrency against one target:
// the runner's load executor (in its worker thread, and inline for reference), a bare undici loop
// (load.ts's saturate: a Pool and `concurrency` back-to-back lanes, nothing else) and autocannon.

/** The runner's executor for `seconds` at `concurrency`; latency percentiles from its own histogram. */
export async function runnerExecutor(url: string, concurrency: number, seconds: number, mode: LoadRunMode): Promise<LoadResult> {
  const run = startLoadRun({
    url, method: 'GET', headers: {}, body: undefined, verifyTls: true, requests: null, durationMs: seconds * 1000,
    concurrency, ratePerSecond: null, timeoutMs: 10_000, deadlineAt: Date.now() + seconds * 1000 + 30_000,
  }, mode);
  const { tally, elapsedMs, error } = await run.done;
  if (error) throw new Error(`runner executor: ${error}`);
  const q = (p: number): number => quantileMs(tally.histogram, p) ?? Number.NaN;
  const answered = tally.requests - tally.errors;
  return { label: `runner executor (${mode})`, sent: tally.requests, errors: tally.errors, seconds: elapsedMs / 1000, throughput: answered / (elapsedMs / 1000), p50: q(0.5), p90: q(0.9), p99: q(0.99), max: tally.max_us / 1000 };
}

/** A bare undici loop: the floor of what undici itself costs per request. */
export function bareUndici(url: string, concurrency: number, seconds: number): Promise<LoadResult> {
  const { origin, pathname } = new URL(url);
  return saturate(origin, {}, 'bare undici loop', concurrency, seconds, 10_000_000, () => ({ method: 'GET', path: pathname }));
}

interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  non2xx: number;
  duration: number;
}
type Autocannon = (options: { url: string; connections: number; duration: number; pipelining: number }) => Promise<AutocannonResult>;

/** autocannon with the same connections and duration (its own latency histogram, ms). */
export async function autocannonRun(url: string, concurrency: number, seconds: number): Promise<LoadResult> {
  const name = 'autocannon'; // no type declarations ship with autocannon 9
  const { default: autocannon } = (await import(name)) as { default: Autocannon };
  const r = await autocannon({ url, connections: concurrency, duration: seconds, pipelining: 1 });
  const errors = r.errors + r.non2xx;
  return { label: 'autocannon 9', sent: r.requests.total + r.errors, errors, seconds: r.duration, throughput: (r.requests.total - r.non2xx) / r.duration, p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max };
}
