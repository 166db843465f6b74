import { cpus, loadavg } from 'node:os';
import { benchBlackbox } from './runner.blackbox.ts';
import { benchCheckRate } from './runner.checks.ts';
import { benchControlPlane } from './runner.control-plane.ts';
import { benchRss } from './runner.rss.ts';
import { benchScheduling, benchSchedulingAtScale } from './runner.schedule.ts';
import type { CheckResult } from '../../api/src/contract/index.ts';
import { createCheckRegistry, executeCheck } from '../../runner/src/engine.ts';
import { httpMonitor, killChildren, monitorId, out, startTarget, type Figure } from './runner.support.ts';

// npm run bench:runner — the runner's five figures from issue 3, each with its target and a baseline
// measured in the same run (docs/operations.md, "Benchmarks"):
//   1. checks/s with a fresh connection per check, runner versus a bare undici loop (runner.checks.ts)
//   2. scheduling lateness with 10,000 monitors every 30 s, engine versus one setTimeout each (runner.schedule.ts)
//   3. runner RSS with 10,000 monitors, versus idle node and a runner with none (runner.rss.ts)
//   4. detection time from a target turning 500 to the monitor being down (runner.control-plane.ts)
//   5. ingest rate into PostgreSQL through POST /v1/runner/results, versus raw INSERTs (runner.control-plane.ts)
//   6. CPU per check at a realistic rate (10,000 monitors every 30 s), the runner process versus
//      blackbox_exporter at the same probe rate, each pinned to its own core (runner.blackbox.ts; ~6 min)
//   7. scheduling lateness and CPU per wake-up with 100,000 monitors every 60 s, engine versus one
//      setTimeout each, both doing the check path without the network (runner.schedule.ts; ~2.5 min)
// The HTTP target runs in a child process (runner.target.ts); everything is on 127.0.0.1.

const started = Date.now();
out(`bench:runner on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (shared machine: other work competes for the cores)`);
// BENCH_ONLY=1,5 runs some of the figures (for investigating one); the default is all of them.
const only = new Set((process.env.BENCH_ONLY ?? '1,2,3,4,5,6,7').split(',').map(Number));
const target = await startTarget();
const figures: Figure[] = [];
try {
  let sample: CheckResult | undefined;
  if (only.has(1)) {
    const checks = await benchCheckRate(target);
    figures.push(checks.figure);
    sample = checks.sample;
  }
  if (only.has(2)) figures.push(await benchScheduling(target));
  if (only.has(3)) figures.push(await benchRss(target));
  if (only.has(4) || only.has(5)) {
    sample ??= await executeCheck(httpMonitor(monitorId(), `${target.origin}/health`), createCheckRegistry(), { region: 'bench' });
    figures.push(...(await benchControlPlane(target, sample, { detect: only.has(4), ingest: only.has(5) })));
  }
  if (only.has(6)) figures.push(await benchBlackbox(target));
  if (only.has(7)) figures.push(await benchSchedulingAtScale(target));
} finally {
  await target.close();
  killChildren();
}

out(`\n## Summary (${((Date.now() - started) / 1000).toFixed(0)} s, load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
const widths = [30, 20, 46, 44];
out(`${'figure'.padEnd(widths[0]!)} ${'target'.padEnd(widths[1]!)} ${'measured'.padEnd(widths[2]!)} ${'baseline (same run)'.padEnd(widths[3]!)} verdict`);
for (const f of figures) {
  out(`${f.name.padEnd(widths[0]!)} ${f.target.padEnd(widths[1]!)} ${f.measured.padEnd(widths[2]!)} ${f.baseline.padEnd(widths[3]!)} ${f.met ? 'MET' : 'NOT MET'}`);
}
if (figures.some((f) => !f.met)) process.exitCode = 1;
