import { percentile } from './load.ts';
import { createCheckRegistry, createEngine, createRunnerMetrics, executeCheck, type CheckRegistry, type RunnerMonitor } from '../../runner/src/engine.ts';
import { createSystemClock, type Clock } from '../../runner/src/schedule/clock.port.ts';
import { nextSlotAt, phaseOffsetMs } from '../../runner/src/schedule/phase.spread.ts';
import { createResultIdFactory } from '../../runner/src/results/result-id.factory.ts';
import { cpuMs, httpMonitor, sleep } from './runner.support.ts';
import type { Lateness } from './runner.schedule.ts';

// Child process of the scheduling figures (runner.schedule.ts): measures one design's scheduling
// lateness in a fresh process, so neither design inherits the other's (or an earlier figure's) heap
// and timers.
// argv: naive|engine http|local <target origin> <monitors> <interval ms> <run ms>; the ids come over
// IPC and the result goes back over IPC.
//
// Both designs do the same work per fire: `executeCheck` of the monitor (result id, timeout budget
// timers, result building), `recordResult` into the runner's metrics and a sink counting results.
// `http` runs the real http check against the target; `local` swaps the http check for one that
// answers at once with a copy of a real outcome taken from the target at start-up (everything the
// runner does per check except the network, for rates beyond what this machine's cores can check).

const [mode, work, origin, monitorsArg, intervalArg, runArg] = process.argv.slice(2);
const INTERVAL_MS = Number(intervalArg);
const RUN_MS = Number(runArg);

// Lateness samples with the time they were taken (ms since the monitors were handed over).
function summarize(samples: Array<[number, number]>, t0: number): Pick<Lateness, 'values' | 'samples' | 'p50' | 'p99' | 'max' | 'lateFirst2s' | 'lateAfter'> {
  const sorted = samples.map((s) => s[1]).sort((a, b) => a - b);
  const late = samples.filter((s) => s[1] > 20);
  return {
    values: sorted, samples: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN,
    lateFirst2s: late.filter((s) => s[0] - t0 < 2000).length, lateAfter: late.filter((s) => s[0] - t0 >= 2000).length,
  };
}

const now = () => performance.timeOrigin + performance.now();

/** The checks each fire runs: the real registry, or one whose http check answers at once. */
async function registryFor(): Promise<CheckRegistry> {
  const real = createCheckRegistry();
  if (work === 'http') return real;
  const sample = await executeCheck(httpMonitor('mon_sample', `${origin}/health`), real, { region: 'bench' });
  if (sample.status !== 'up') throw new Error(`sample check against the target was ${sample.status}`);
  const { id: _id, monitor_id: _monitor, region: _region, confirmation: _confirmation, ...outcome } = sample;
  return { ...real, http: { type: 'http', run: async () => ({ ...outcome, started_at: new Date().toISOString() }) } };
}

/** Counts for the window after the hand-over: timer callbacks (wake-ups), results, CPU. */
interface Counters {
  wakeUps: number;
  results: number;
  failed: number;
}

function finish(samples: Array<[number, number]>, t0: number, cpu0: NodeJS.CpuUsage, c: Counters, handOverMs: number): Lateness {
  const cpu = cpuMs(cpu0);
  const summary = summarize(samples, t0);
  return {
    ...summary, wakeUps: c.wakeUps, results: c.results, failed: c.failed, handOverMs,
    cpuMsPerFire: cpu / Math.max(1, summary.samples), cpuMsPerWakeUp: cpu / Math.max(1, c.wakeUps), cpuPct: (cpu / RUN_MS) * 100,
  };
}

async function engineLateness(monitors: RunnerMonitor[], checks: CheckRegistry): Promise<Lateness> {
  const samples: Array<[number, number]> = [];
  const counters: Counters = { wakeUps: 0, results: 0, failed: 0 };
  const metrics = createRunnerMetrics();
  const record = metrics.recordLateness.bind(metrics);
  metrics.recordLateness = (lateMs) => {
    samples.push([performance.now(), lateMs]);
    record(lateMs);
  };
  // The system clock, counting the scheduler's timer callbacks.
  // How late the timer callbacks themselves ran (the event loop), apart from the jobs' lateness.
  const timerLate: number[] = [];
  const system = createSystemClock();
  const clock: Clock = {
    now: system.now,
    setTimer: (callback, delayMs) => {
      const at = now() + delayMs;
      return system.setTimer(() => {
        counters.wakeUps++;
        timerLate.push(now() - at);
        callback();
      }, delayMs);
    },
    clearTimer: system.clearTimer,
  };
  const engine = createEngine({
    region: 'bench',
    metrics,
    clock,
    checks,
    sink: (r) => {
      counters.results++;
      if (r.status === 'down') counters.failed++;
    },
  });
  const t0 = performance.now();
  engine.setMonitors(monitors);
  const handOverMs = performance.now() - t0;
  const cpu0 = process.cpuUsage();
  counters.wakeUps = 0;
  timerLate.length = 0;
  let maxQueued = 0;
  let maxInFlight = 0;
  const watch = setInterval(() => {
    const stats = engine.stats();
    maxQueued = Math.max(maxQueued, stats.queued);
    maxInFlight = Math.max(maxInFlight, stats.inFlight);
  }, 20);
  await sleep(RUN_MS);
  clearInterval(watch);
  const result = finish(samples, t0, cpu0, counters, handOverMs);
  await engine.stop();
  const sortedTimerLate = timerLate.sort((a, b) => a - b);
  return { ...result, timerLateP99: percentile(sortedTimerLate, 99), maxQueued, maxInFlight };
}

// The naive design: one setTimeout per monitor, re-armed at its next due time, running the same work.
async function naiveLateness(monitors: RunnerMonitor[], checks: CheckRegistry): Promise<Lateness> {
  const samples: Array<[number, number]> = [];
  const counters: Counters = { wakeUps: 0, results: 0, failed: 0 };
  const metrics = createRunnerMetrics();
  const newResultId = createResultIdFactory();
  const timers = new Map<string, NodeJS.Timeout>();
  const t0 = performance.now();
  for (const monitor of monitors) {
    let due = nextSlotAt(now(), INTERVAL_MS, phaseOffsetMs(monitor.id, INTERVAL_MS));
    const fire = () => {
      counters.wakeUps++;
      const t = now();
      // Clamped at 0 like the scheduler's metric (Node timers fire up to 1 ms early).
      samples.push([performance.now(), Math.max(0, t - due)]);
      due += INTERVAL_MS;
      timers.set(monitor.id, setTimeout(fire, Math.max(0, due - t)));
      void executeCheck(monitor, checks, { region: 'bench', newResultId }).then((r) => {
        metrics.recordResult(monitor.type, r);
        counters.results++;
        if (r.status === 'down') counters.failed++;
      });
    };
    timers.set(monitor.id, setTimeout(fire, Math.max(0, due - now())));
  }
  const handOverMs = performance.now() - t0;
  const cpu0 = process.cpuUsage();
  counters.wakeUps = 0;
  await sleep(RUN_MS);
  const result = finish(samples, t0, cpu0, counters, handOverMs);
  for (const t of timers.values()) clearTimeout(t);
  return result;
}

// The parent's end is ours too: never outlive it.
process.on('disconnect', () => process.exit(0));
process.once('message', async (ids: string[]) => {
  if (ids.length !== Number(monitorsArg)) throw new Error('ids do not match the monitor count');
  const checks = await registryFor();
  const monitors = ids.map((id, i) => httpMonitor(id, `${origin}/m/${i}`, INTERVAL_MS / 1000));
  const result = mode === 'engine' ? await engineLateness(monitors, checks) : await naiveLateness(monitors, checks);
  process.send!(result, () => process.exit(0));
});
