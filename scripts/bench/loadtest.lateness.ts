import { createEngine, createRunnerMetrics, type RunnerMonitor } from '../../runner/src/engine.ts';
import { percentile } from './load.ts';
import { httpMonitor, monitorId, sleep } from './runner.support.ts';

/** Scheduling lateness of the runner's engine while something else runs in the same process. */
export interface LatenessFigure {
  label: string;
  runs: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Schedules `count` http monitors every `intervalSeconds` against `checksOrigin`, lets one interval
 * settle the phases, then measures each run's lateness while `during()` runs (at least `minMs`).
 */
export async function latenessDuring(label: string, checksOrigin: string, count: number, intervalSeconds: number, minMs: number, during: () => Promise<unknown>): Promise<LatenessFigure> {
  const samples: number[] = [];
  let measuring = false;
  const metrics = createRunnerMetrics();
  metrics.recordLateness = (lateMs) => {
    if (measuring) samples.push(lateMs);
  };
  const engine = createEngine({ region: 'bench', metrics, sink: () => {} });
  const monitors: RunnerMonitor[] = Array.from({ length: count }, (_, i) => httpMonitor(monitorId(), `${checksOrigin}/m/${i}`, intervalSeconds));
  engine.setMonitors(monitors);
  await sleep(intervalSeconds * 1000);
  measuring = true;
  await Promise.all([during(), sleep(minMs)]);
  measuring = false;
  await engine.stop();
  const sorted = samples.sort((a, b) => a - b);
  return { label, runs: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}
