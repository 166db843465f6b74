import { percentile } from './load.ts';
import { createEngine, createRunnerMetrics } from '../../runner/src/engine.ts';
import { nextSlotAt, phaseOffsetMs } from '../../runner/src/schedule/phase.spread.ts';
import { cpuMs, httpMonitor, sleep } from './runner.support.ts';
import type { Lateness } from './runner.schedule.ts';

// Child process of figure 2 (runner.schedule.ts): measures one design's scheduling lateness in a
// fresh process, so neither design inherits the other's (or figure 1's) heap and timers.
// argv: naive|engine <target origin> <monitors> <interval ms> <run ms>; the ids come over IPC and
// the result goes back over IPC.

const [mode, origin, monitorsArg, intervalArg, runArg] = process.argv.slice(2);
const INTERVAL_MS = Number(intervalArg);
const RUN_MS = Number(runArg);

// Lateness samples with the time they were taken (ms since the monitors were handed over).
function summarize(samples: Array<[number, number]>, cpu: number, t0: number): Lateness {
  const sorted = samples.map((s) => s[1]).sort((a, b) => a - b);
  const late = samples.filter((s) => s[1] > 20);
  return {
    samples: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN, cpuMsPerFire: cpu / Math.max(1, sorted.length),
    lateFirst2s: late.filter((s) => s[0] - t0 < 2000).length, lateAfter: late.filter((s) => s[0] - t0 >= 2000).length,
  };
}

const now = () => performance.timeOrigin + performance.now();

async function engineLateness(ids: string[]): Promise<Lateness> {
  const samples: Array<[number, number]> = [];
  const metrics = createRunnerMetrics();
  const record = metrics.recordLateness.bind(metrics);
  metrics.recordLateness = (lateMs) => {
    samples.push([performance.now(), lateMs]);
    record(lateMs);
  };
  let results = 0;
  let failed = 0;
  const engine = createEngine({
    region: 'bench',
    metrics,
    sink: (r) => {
      results++;
      if (r.status === 'down') failed++;
    },
  });
  const monitors = ids.map((id, i) => httpMonitor(id, `${origin}/m/${i}`));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  engine.setMonitors(monitors);
  const setMonitorsMs = performance.now() - t0;
  await sleep(RUN_MS);
  await engine.stop();
  return { ...summarize(samples, cpuMs(cpu0), t0), results, failed, setMonitorsMs };
}

async function naiveLateness(ids: string[]): Promise<Lateness> {
  const samples: Array<[number, number]> = [];
  const timers = new Map<string, NodeJS.Timeout>();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const id of ids) {
    let due = nextSlotAt(now(), INTERVAL_MS, phaseOffsetMs(id, INTERVAL_MS));
    const fire = () => {
      const t = now();
      samples.push([performance.now(), Math.max(0, t - due)]);
      due += INTERVAL_MS;
      timers.set(id, setTimeout(fire, Math.max(0, due - t)));
    };
    timers.set(id, setTimeout(fire, Math.max(0, due - now())));
  }
  await sleep(RUN_MS);
  for (const t of timers.values()) clearTimeout(t);
  return summarize(samples, cpuMs(cpu0), t0);
}

// The parent's end is ours too: never outlive it.
process.on('disconnect', () => process.exit(0));
process.once('message', async (ids: string[]) => {
  if (ids.length !== Number(monitorsArg)) throw new Error('ids do not match the monitor count');
  const result = mode === 'engine' ? await engineLateness(ids) : await naiveLateness(ids);
  process.send!(result, () => process.exit(0));
});
