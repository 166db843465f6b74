import { Client } from 'undici';
import type { CheckResult } from '../../api/src/contract/index.ts';
import { createCheckRegistry, executeCheck } from '../../runner/src/engine.ts';
import { createResultIdFactory } from '../../runner/src/results/result-id.factory.ts';
import { cpuMs, httpMonitor, monitorId, out, type Figure, type Target } from './runner.support.ts';

// Figure 1: checks/s with a fresh connection per check. The runner's real check path (executeCheck
// with the http check and its three assertions, one new connection per check, timings and
// traceparent) versus a bare undici loop (a new undici Client per request, the same GET with the
// same headers, body read, client closed), both closed loops at the same concurrency against the
// target in its own process. Rounds alternate so background load on the shared machine hits both.

const CONCURRENCY = Number(process.env.BENCH_CHECK_CONCURRENCY ?? 32);
const ROUND_SECONDS = Number(process.env.BENCH_CHECK_SECONDS ?? 4);
const ROUNDS = 2;
const MAX_PER_ROUND = 100_000;

interface LoopResult {
  ok: number;
  errors: number;
  seconds: number;
  cpuMs: number;
}

async function closedLoop(seconds: number, maxCount: number, once: () => Promise<boolean>): Promise<LoopResult> {
  let started = 0;
  let ok = 0;
  let errors = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline && started < maxCount) {
        started++;
        if (await once().catch(() => false)) ok++;
        else errors++;
      }
    }),
  );
  return { ok, errors, seconds: (performance.now() - t0) / 1000, cpuMs: cpuMs(cpu0) };
}

const add = (a: LoopResult, b: LoopResult): LoopResult => ({ ok: a.ok + b.ok, errors: a.errors + b.errors, seconds: a.seconds + b.seconds, cpuMs: a.cpuMs + b.cpuMs });

export async function benchCheckRate(target: Target): Promise<{ figure: Figure; sample: CheckResult }> {
  out(`\n## 1. Checks/s with a fresh connection per check (closed loop, concurrency ${CONCURRENCY}, ${ROUNDS} × ${ROUND_SECONDS} s each, alternating)`);
  const url = `${target.origin}/health`;
  const monitor = httpMonitor(monitorId(), url);
  const registry = createCheckRegistry();
  const newResultId = createResultIdFactory();
  let sample: CheckResult | undefined;
  const runnerOnce = async () => {
    const result = await executeCheck(monitor, registry, { region: 'bench', newResultId });
    sample ??= result;
    return result.status === 'up';
  };
  // The same request on the wire: method, path, user-agent and a traceparent header.
  const headers = { 'user-agent': 'Pharos-Runner/0.1', traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
  const bareOnce = async () => {
    const client = new Client(target.origin);
    try {
      const res = await client.request({ path: '/health', method: 'GET', headers });
      const text = await res.body.text();
      return res.statusCode === 200 && text.length > 0;
    } finally {
      await client.close();
    }
  };

  // Warm-up: JIT, module loading, the target's accept path.
  await closedLoop(1, 5_000, bareOnce);
  await closedLoop(1, 5_000, runnerOnce);
  let bare: LoopResult = { ok: 0, errors: 0, seconds: 0, cpuMs: 0 };
  let runner: LoopResult = { ok: 0, errors: 0, seconds: 0, cpuMs: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    bare = add(bare, await closedLoop(ROUND_SECONDS, MAX_PER_ROUND, bareOnce));
    runner = add(runner, await closedLoop(ROUND_SECONDS, MAX_PER_ROUND, runnerOnce));
  }
  const rate = (r: LoopResult) => r.ok / r.seconds;
  const perCheck = (r: LoopResult) => r.cpuMs / Math.max(1, r.ok + r.errors);
  const ratio = rate(runner) / rate(bare);
  const line = (label: string, r: LoopResult) =>
    out(`${label.padEnd(46)} ${rate(r).toFixed(0).padStart(7)} checks/s  ${perCheck(r).toFixed(3)} CPU-ms/check  ${String(r.ok).padStart(6)} ok  ${r.errors} errors  (${(r.cpuMs / r.seconds / 10).toFixed(0)} % of a core)`);
  line('baseline: bare undici, new Client per request', bare);
  line('runner: executeCheck (http, 3 assertions)', runner);
  out(`ratio runner/bare: ${ratio.toFixed(2)} checks/s, ${(perCheck(runner) / perCheck(bare)).toFixed(2)} CPU per check`);
  const met = ratio >= 0.7 && runner.errors === 0;
  out(`target: ratio ≥ 0.7 (no failed checks) → ${ratio.toFixed(2)} ${met ? 'MET' : 'NOT MET'}`);
  if (!sample) throw new Error('the runner loop produced no result');
  return {
    sample,
    figure: {
      name: '1. checks/s, fresh connection',
      target: 'runner/bare ≥ 0.70',
      measured: `${ratio.toFixed(2)} (${rate(runner).toFixed(0)}/s, ${perCheck(runner).toFixed(3)} CPU-ms)`,
      baseline: `bare ${rate(bare).toFixed(0)}/s, ${perCheck(bare).toFixed(3)} CPU-ms`,
      met,
    },
  };
}
