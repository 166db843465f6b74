import { cpus, loadavg } from 'node:os';
import { startLatencyTarget } from '../../runner/test/support/latency.target.ts';
import { autocannonRun, bareUndici, runnerExecutor } from './loadtest.contenders.ts';
import { latenessDuring, type LatenessFigure } from './loadtest.lateness.ts';
import { printTable, type LoadResult } from './load.ts';
import { ms, out } from './runner.support.ts';

// npm run bench loadtest — the runner's load-test executor against a local target answering after
// 5 ms (a child process of its own), in the same run:
//   1. achieved requests/s at one concurrency: the executor in its worker thread (as the runner runs
//      it) and inline, a bare undici loop, and autocannon; two interleaved rounds, best of each;
//   2. scheduling lateness of 500 monitors every 5 s on the same process: without load, during a
//      load test in the worker thread, and during the same load inline on the main thread.
// LOADTEST_CONCURRENCY (default 100) and LOADTEST_SECONDS (default 8) change the load.

const concurrency = Number(process.env.LOADTEST_CONCURRENCY ?? 100);
const seconds = Number(process.env.LOADTEST_SECONDS ?? 8);
const latencyMs = 5;
const started = Date.now();
out(`bench loadtest on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
out(`target: 200 after ${latencyMs} ms (child process); concurrency ${concurrency}; ${seconds} s per run; ceiling ${Math.round((concurrency * 1000) / latencyMs)} req/s if nothing but the target's delay counted`);

const [loadTarget, checksTarget] = await Promise.all([startLatencyTarget(latencyMs), startLatencyTarget(2)]);
const url = `${loadTarget.origin}/load`;
try {
  const contenders: Record<string, () => Promise<LoadResult>> = {
    worker: () => runnerExecutor(url, concurrency, seconds, 'worker'),
    inline: () => runnerExecutor(url, concurrency, seconds, 'inline'),
    undici: () => bareUndici(url, concurrency, seconds),
    autocannon: () => autocannonRun(url, concurrency, seconds),
  };
  const best = new Map<string, LoadResult>();
  for (let round = 1; round <= 2; round++) {
    for (const [name, run] of Object.entries(contenders)) {
      const r = await run();
      out(`  round ${round} ${r.label}: ${r.throughput.toFixed(0)} req/s, p99 ${ms(r.p99, 2)}, ${r.errors} errors`);
      if (!best.has(name) || best.get(name)!.throughput < r.throughput) best.set(name, r);
    }
  }
  const baseline = best.get('undici')!;
  out('\n## 1. Achieved requests/s (best of two rounds)');
  printTable([...best.values()]);
  for (const r of best.values()) out(`  ${r.label.padEnd(28)} ${(r.throughput / baseline.throughput).toFixed(2)}× the bare undici loop`);

  out('\n## 2. Scheduling lateness of 500 monitors every 5 s on the same process');
  const lateness: LatenessFigure[] = [];
  const window = seconds * 1000;
  lateness.push(await latenessDuring('no load test', checksTarget.origin, 500, 5, window, async () => {}));
  lateness.push(await latenessDuring(`load test in the worker thread (c=${concurrency})`, checksTarget.origin, 500, 5, window, () => runnerExecutor(url, concurrency, seconds, 'worker')));
  lateness.push(await latenessDuring(`same load inline on the main thread`, checksTarget.origin, 500, 5, window, () => runnerExecutor(url, concurrency, seconds, 'inline')));
  const quiet = lateness[0]!;
  out(`${'scenario'.padEnd(48)} ${'runs'.padStart(6)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'max'.padStart(9)}  p99/no load`);
  for (const l of lateness) out(`${l.label.padEnd(48)} ${String(l.runs).padStart(6)} ${ms(l.p50).padStart(9)} ${ms(l.p99).padStart(9)} ${ms(l.max).padStart(9)}  ${(l.p99 / Math.max(quiet.p99, 0.1)).toFixed(1)}×`);
} finally {
  await Promise.all([loadTarget.close(), checksTarget.close()]);
}
out(`\n(${((Date.now() - started) / 1000).toFixed(0)} s, load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
