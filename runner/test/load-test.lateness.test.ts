import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { LoadTestProgress } from '../../api/src/contract/load-test.schema.ts';
import { createEngine, createRunnerMetrics, type Engine, type RunnerMonitor } from '../src/engine.ts';
import { LoadTestManager } from '../src/load-test/load-test.manager.ts';
import { monitor } from './helpers/monitor.factory.ts';
import { startLatencyTarget, type LatencyTarget } from './support/latency.target.ts';

// A load test must never starve scheduled checks: 500 monitors every 5 s (100 checks/s) keep their
// scheduling lateness bound while a load test runs at the runner's full load-test concurrency on
// the same runner. The generator runs in its worker thread, as in production; the targets are
// child processes. The bound is generous (p99 < 250 ms, or 3× the lateness without load on a machine
// too busy for that) for a loaded two-core machine.

const monitorsCount = 500;
const intervalSeconds = 5;
const maxConcurrency = 100;

let checksTarget: LatencyTarget;
let loadTarget: LatencyTarget;
let engine: Engine;
const samples: { at: number; lateMs: number }[] = [];
let results = 0;

before(async () => {
  [checksTarget, loadTarget] = await Promise.all([startLatencyTarget(2), startLatencyTarget(5)]);
  const metrics = createRunnerMetrics();
  const record = metrics.recordLateness.bind(metrics);
  metrics.recordLateness = (lateMs) => {
    samples.push({ at: Date.now(), lateMs });
    record(lateMs);
  };
  engine = createEngine({ region: 'test', metrics, sink: () => void (results += 1) });
  const monitors: RunnerMonitor[] = Array.from({ length: monitorsCount }, (_, i) =>
    monitor({ type: 'http', interval_seconds: intervalSeconds, timeout_seconds: 5, http: { url: `${checksTarget.origin}/m/${i}` } }),
  );
  engine.setMonitors(monitors);
});

after(async () => {
  await engine.stop();
  await Promise.all([checksTarget.close(), loadTarget.close()]);
});

const p99 = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? Number.NaN;
};

describe('a load test beside scheduled checks', { timeout: 60_000 }, () => {
  it(`keeps ${monitorsCount} monitors' lateness p99 under 250 ms during a load test at full concurrency`, async (t) => {
    // One interval to settle the phases, then one interval without load as the reference.
    await new Promise((r) => setTimeout(r, intervalSeconds * 1000));
    const quietFrom = Date.now();
    await new Promise((r) => setTimeout(r, intervalSeconds * 1000));
    const loadFrom = Date.now();
    const finals: LoadTestProgress[] = [];
    const manager = new LoadTestManager({
      client: {
        reportLoadTest: async (_id, progress) => {
          if (progress.final) finals.push(progress);
          return { abort: false };
        },
      },
      runnerId: () => 'run_01HZZZZZZZZZZZZZZZZZZZZZZZ',
      logger: pino({ level: 'silent' }),
      maxConcurrency,
    });
    const durationSeconds = 2 * intervalSeconds;
    manager.apply(
      [{
        load_test_id: 'ldt_01HZZZZZZZZZZZZZZZZZZZZZZZ',
        request: { method: 'GET', url: `${loadTarget.origin}/load` },
        requests: null,
        duration_seconds: durationSeconds,
        concurrency: 1000,
        rate_per_second: null,
        timeout_ms: 5_000,
        deadline: new Date(Date.now() + 60_000).toISOString(),
      }],
      [],
    );
    assert.equal(manager.concurrencyInUse, maxConcurrency, 'the share runs at the runner cap');
    const deadline = Date.now() + 40_000;
    while (finals.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const loadTo = Date.now();
    const final = finals[0];
    assert.ok(final, 'the load test finished');
    const quiet = samples.filter((s) => s.at >= quietFrom && s.at < loadFrom).map((s) => s.lateMs);
    const during = samples.filter((s) => s.at >= loadFrom + 500 && s.at < loadTo).map((s) => s.lateMs);
    t.diagnostic(`load: ${final.requests} requests in ${final.elapsed_ms} ms (${Math.round(final.requests / (final.elapsed_ms / 1000))}/s) at concurrency ${maxConcurrency}, ${final.errors} errors`);
    t.diagnostic(`lateness p99 without load ${p99(quiet).toFixed(1)} ms over ${quiet.length} runs; during the load test ${p99(during).toFixed(1)} ms over ${during.length} runs`);
    // The load was real (about 11,000/s on a quiet 2-core machine; at least 1,000 however busy it is).
    assert.ok(final.requests >= 1_000, `only ${final.requests} requests in ${final.elapsed_ms} ms`);
    // Monitors kept their cadence: about 100 runs per second, none skipped for the load.
    const expected = ((loadTo - loadFrom - 500) / 1000) * (monitorsCount / intervalSeconds);
    assert.ok(during.length >= expected * 0.8, `${during.length} scheduled runs during the load, expected about ${Math.round(expected)}`);
    // 250 ms; on a machine so busy that the checks are late without any load test, 3× that lateness.
    const bound = Math.max(250, 3 * p99(quiet));
    assert.ok(p99(during) < bound, `lateness p99 ${p99(during).toFixed(1)} ms during the load test (bound ${bound.toFixed(0)} ms; ${p99(quiet).toFixed(1)} ms without)`);
    assert.ok(results > 0);
  });
});
