import { fork } from 'node:child_process';
import { join } from 'node:path';
import { percentile } from './load.ts';
import { monitorId, ms, out, track, type Figure, type Target } from './runner.support.ts';

// Figures 2 and 7: scheduling lateness of the runner's engine (min-heap, one timer, coalescing window,
// concurrency limit) against the naive design it replaces (one setTimeout per monitor, re-armed at its
// next due time), same ids (same phases), same count and interval, for a full interval and a bit.
// Both designs do the same work per fire (runner.lateness.ts): figure 2 a real http check against
// the target, figure 7 everything the runner does per check except the network (1,667 fires/s of
// real checks would need more cores than the machine has). Lateness is taken when a run starts, so
// the check's own duration never counts, but the event loop the work keeps busy does. The engine's
// lateness is its own metric (onLateness → recordLateness); the baseline's is clamped at 0 the same
// way. CPU is process.cpuUsage over the window after the hand-over; a wake-up is one timer callback.

export interface Lateness {
  /** Every lateness sample, ascending (for pooling rounds). */
  values: number[];
  samples: number;
  p50: number;
  p99: number;
  max: number;
  /** Timer callbacks in the window: the scheduler's wake-ups, or the baseline's fires. */
  wakeUps: number;
  cpuMsPerFire: number;
  cpuMsPerWakeUp: number;
  /** CPU over the window as a share of one core. */
  cpuPct: number;
  /** Samples over 20 ms late in the first 2 s after the monitors were handed over, and after that. */
  lateFirst2s: number;
  lateAfter: number;
  /** Milliseconds handing the monitors over held the event loop (setMonitors, or arming every timer). */
  handOverMs: number;
  results: number;
  failed: number;
  /** Engine only: p99 of how late its timer callbacks ran, and the most jobs seen waiting for a slot / running (sampled every 20 ms). */
  timerLateP99?: number;
  maxQueued?: number;
  maxInFlight?: number;
}

interface Spec {
  figure: number;
  monitors: number;
  intervalMs: number;
  runMs: number;
  /** Rounds per design, interleaved baseline, engine, engine, baseline, … so background load hits both alike. */
  rounds: number;
  work: 'http' | 'local';
  workLabel: string;
}

/** Runs one design in a fresh child process (runner.lateness.ts) and returns its figures. */
async function inChild(mode: 'naive' | 'engine', ids: string[], spec: Spec, target: Target): Promise<Lateness> {
  const args = [mode, spec.work, target.origin, String(ids.length), String(spec.intervalMs), String(spec.runMs)];
  const child = track(fork(join(import.meta.dirname, 'runner.lateness.ts'), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  const result = new Promise<Lateness>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Lateness));
    child.once('exit', (code) => reject(new Error(`lateness child (${mode}) exited with ${code}`)));
  });
  child.send(ids);
  return result;
}

async function measure(spec: Spec, target: Target): Promise<{ naive: Lateness; engine: Lateness }> {
  out(`\n## ${spec.figure}. Scheduling lateness, ${spec.monitors.toLocaleString('en')} monitors every ${spec.intervalMs / 1000} s, ${spec.rounds} × ${spec.runMs / 1000} s each; work per fire, both designs: ${spec.workLabel}`);
  const ids = Array.from({ length: spec.monitors }, monitorId);
  const runs: Record<'naive' | 'engine', Lateness[]> = { naive: [], engine: [] };
  for (let round = 0; round < spec.rounds; round++) {
    const order = round % 2 === 0 ? (['naive', 'engine'] as const) : (['engine', 'naive'] as const);
    for (const mode of order) {
      const run = await inChild(mode, ids, spec, target);
      runs[mode].push(run);
      if (spec.rounds > 1) out(`  round ${round + 1} ${mode.padEnd(6)}: p99 ${ms(run.p99, 2)}, ${run.wakeUps} wake-ups, ${run.cpuMsPerWakeUp.toFixed(3)} CPU-ms/wake-up`);
    }
  }
  const naive = pool(runs.naive);
  const engine = pool(runs.engine);
  const row = (label: string, l: Lateness) =>
    out(`${label.padEnd(40)} ${String(l.samples).padStart(7)} fires  p50 ${ms(l.p50, 2).padStart(8)}  p99 ${ms(l.p99, 2).padStart(9)}  max ${ms(l.max, 1).padStart(9)}  ${String(l.wakeUps).padStart(7)} wake-ups  ${l.cpuMsPerWakeUp.toFixed(3)} CPU-ms/wake-up  ${l.cpuMsPerFire.toFixed(3)} CPU-ms/fire  ${l.cpuPct.toFixed(0)} % of a core  (${l.results} results, ${l.failed} down)`);
  row('baseline: one setTimeout per monitor', naive);
  row('runner engine: heap + one timer', engine);
  out(`p99 engine/baseline: ${(engine.p99 / naive.p99).toFixed(2)}×; CPU per fire engine/baseline: ${(engine.cpuMsPerFire / naive.cpuMsPerFire).toFixed(2)}×; hand-over held the loop: engine ${ms(engine.handOverMs)}, baseline ${ms(naive.handOverMs)}; fires over 20 ms late in the first 2 s / after: baseline ${naive.lateFirst2s} / ${naive.lateAfter}, engine ${engine.lateFirst2s} / ${engine.lateAfter}`);
  out(`engine: timer callbacks ran p99 ${ms(engine.timerLateP99 ?? NaN, 2)} after their due time; at most ${engine.maxQueued} jobs waiting for a slot and ${engine.maxInFlight} running`);
  return { naive, engine };
}

/** Several rounds of one design as one: percentiles over every sample, counts and CPU summed. */
function pool(runs: Lateness[]): Lateness {
  if (runs.length === 1) return runs[0]!;
  const values = runs.flatMap((r) => r.values).sort((a, b) => a - b);
  const sum = (f: (r: Lateness) => number) => runs.reduce((n, r) => n + f(r), 0);
  const cpu = sum((r) => r.cpuMsPerFire * r.samples);
  const max = (f: (r: Lateness) => number | undefined) => Math.max(...runs.map((r) => f(r) ?? NaN));
  return {
    values, samples: values.length, p50: percentile(values, 50), p99: percentile(values, 99), max: values.at(-1) ?? NaN,
    wakeUps: sum((r) => r.wakeUps), cpuMsPerFire: cpu / Math.max(1, values.length), cpuMsPerWakeUp: cpu / Math.max(1, sum((r) => r.wakeUps)),
    cpuPct: sum((r) => r.cpuPct) / runs.length, lateFirst2s: sum((r) => r.lateFirst2s), lateAfter: sum((r) => r.lateAfter),
    handOverMs: max((r) => r.handOverMs), results: sum((r) => r.results), failed: sum((r) => r.failed),
    ...(runs[0]!.timerLateP99 === undefined ? {} : { timerLateP99: max((r) => r.timerLateP99), maxQueued: max((r) => r.maxQueued), maxInFlight: max((r) => r.maxInFlight) }),
  };
}

const seconds = (name: string, fallback: number) => Number(process.env[name] ?? fallback) * 1000;

/** Figure 2: 10,000 monitors every 30 s with real http checks; target: p99 no worse than the baseline's. */
export async function benchScheduling(target: Target): Promise<Figure> {
  const spec: Spec = {
    figure: 2, monitors: Number(process.env.BENCH_MONITORS ?? 10_000), intervalMs: 30_000, runMs: seconds('BENCH_SCHEDULE_SECONDS', 32),
    rounds: Number(process.env.BENCH_SCHEDULE_ROUNDS ?? 2),
    work: 'http', workLabel: 'a real http check against the target (executeCheck, metrics, sink)',
  };
  const { naive, engine } = await measure(spec, target);
  const met = engine.p99 <= naive.p99 && engine.samples >= spec.monitors;
  out(`target: p99 no worse than the baseline's (${ms(naive.p99, 2)}) over a full interval → ${ms(engine.p99, 2)} ${met ? 'MET' : 'NOT MET'}`);
  return {
    name: '2. lateness p99, 10k / 30 s',
    target: '≤ baseline p99',
    measured: `p99 ${ms(engine.p99, 2)}, ${engine.cpuMsPerWakeUp.toFixed(3)} CPU-ms/wake`,
    baseline: `setTimeout each: p99 ${ms(naive.p99, 2)}`,
    met,
  };
}

/** Figure 7: 100,000 monitors every 60 s (1,667 fires/s) doing the check path without the network; target: p99 ≤ 50 ms. */
export async function benchSchedulingAtScale(target: Target): Promise<Figure> {
  const spec: Spec = {
    figure: 7, monitors: Number(process.env.BENCH_SCALE_MONITORS ?? 100_000), intervalMs: 60_000, runMs: seconds('BENCH_SCALE_SCHEDULE_SECONDS', 62),
    rounds: Number(process.env.BENCH_SCALE_SCHEDULE_ROUNDS ?? 1),
    work: 'local', workLabel: 'executeCheck with an http check answering at once (a real outcome copied), metrics, sink; no network',
  };
  const { naive, engine } = await measure(spec, target);
  const met = engine.p99 <= 50 && engine.samples >= spec.monitors;
  out(`target: p99 ≤ 50 ms over a full interval → ${ms(engine.p99, 2)} ${met ? 'MET' : 'NOT MET'}`);
  return {
    name: '7. lateness p99, 100k / 60 s',
    target: '≤ 50 ms',
    measured: `p99 ${ms(engine.p99, 2)}, ${engine.cpuMsPerWakeUp.toFixed(3)} CPU-ms/wake`,
    baseline: `setTimeout each: p99 ${ms(naive.p99, 2)}`,
    met,
  };
}
