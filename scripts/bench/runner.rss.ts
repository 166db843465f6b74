import { FakeControlPlane } from '../../runner/test/support/control-plane.fake.ts';
import { startRunnerProcess, type Proc } from '../test/support/processes.ts';
import { httpMonitor, idleRss, memoryOf, monitorId, out, sleep, track, type Figure, type Target } from './runner.support.ts';

// Figure 3: RSS of a runner process (runner/src/main.ts, spawned as operators run it, under tsx)
// holding 10,000 monitors, read from /proc/<pid>/status after a full 30 s interval of checks.
// The control plane is the runner tests' fake protocol server (register, long-poll, push; it keeps
// every result), because the figure is about the runner: a real control plane would only add the
// minutes it takes to create 10,000 monitors. Baselines: an idle `node`, an idle `node --import tsx`
// (the runner's floor), and the runner with 0 monitors.

const MONITORS = Number(process.env.BENCH_MONITORS ?? 10_000);
const INTERVAL_S = 30;

/** Starts a runner and waits for `done`; samples its RSS every 250 ms on the way (when was the peak?). */
async function runnerUntil(fake: FakeControlPlane, done: () => boolean, limitMs: number, env: NodeJS.ProcessEnv = {}): Promise<{ proc: Proc; pid: number; startedAt: number; waitedMs: number; highest: { rssMb: number; atMs: number } }> {
  const proc = startRunnerProcess(fake.url, fake.token, { PHAROS_RUNNER_CONCURRENCY: '256', ...env });
  track(proc.child);
  const t0 = Date.now();
  const highest = { rssMb: 0, atMs: 0 };
  while (!done() && Date.now() - t0 < limitMs) {
    if (proc.child.exitCode !== null) throw new Error(`runner exited with ${proc.child.exitCode}:\n${proc.output()}`);
    const { rssMb } = memoryOf(proc.child.pid!);
    if (rssMb > highest.rssMb) Object.assign(highest, { rssMb, atMs: Date.now() - t0 });
    await sleep(250);
  }
  return { proc, pid: proc.child.pid!, startedAt: t0, waitedMs: Date.now() - t0, highest };
}

export async function benchRss(target: Target): Promise<Figure> {
  out(`\n## 3. Runner RSS with ${MONITORS.toLocaleString('en')} monitors every ${INTERVAL_S} s (spawned runner/src/main.ts, fake protocol server)`);
  const idle = await idleRss(['-e', 'setInterval(() => {}, 1000)'], 1500);
  const idleTsx = await idleRss(['--import', 'tsx', '-e', 'setInterval(() => {}, 1000)'], 2500);

  const fake = await FakeControlPlane.start({ pollWaitSeconds: 20, maxBatch: 1000 });
  try {
    // 0 monitors: registered and polling, nothing to check.
    const empty = await runnerUntil(fake, () => fake.polls.length >= 2, 20_000);
    await sleep(2000);
    const zero = memoryOf(empty.pid);
    await empty.proc.stop();

    const monitors = Array.from({ length: MONITORS }, (_, i) => httpMonitor(monitorId(), `${target.origin}/m/${i}`, INTERVAL_S));
    fake.setMonitors(monitors);

    // One runner through a full interval after it got its set, with every monitor checked at least once.
    const fullInterval = async (env: NodeJS.ProcessEnv) => {
      const pollsBefore = fake.polls.length;
      const since = Date.now();
      let firstPollAt = 0;
      const fresh = () => [...fake.stored.values()].filter((r) => r.receivedAt >= since);
      const checked = () => new Set(fresh().map((r) => r.monitor_id)).size;
      const run = await runnerUntil(
        fake,
        () => {
          if (!firstPollAt && fake.polls.length > pollsBefore) firstPollAt = Date.now();
          return firstPollAt > 0 && Date.now() - firstPollAt >= (INTERVAL_S + 1) * 1000 && checked() >= MONITORS;
        },
        (INTERVAL_S + 20) * 1000,
        env,
      );
      const memory = memoryOf(run.pid);
      const results = fresh();
      const summary = { ...memory, results: results.length, down: results.filter((r) => r.status !== 'up').length, monitorsChecked: checked(), waitedMs: run.waitedMs, highest: run.highest, sinceFirstPollMs: run.highest.atMs - (firstPollAt - run.startedAt) };
      await run.proc.stop();
      return summary;
    };
    const loaded = await fullInterval({});
    // The same with V8's old space capped, as an operator can do with NODE_OPTIONS (see the peak).
    const capped = await fullInterval({ NODE_OPTIONS: '--max-old-space-size=96' });
    const monitorsChecked = loaded.monitorsChecked;

    out(`${'baseline: idle node'.padEnd(52)} ${idle.toFixed(1).padStart(7)} MB`);
    out(`${'baseline: idle node --import tsx'.padEnd(52)} ${idleTsx.toFixed(1).padStart(7)} MB`);
    out(`${'baseline: runner, 0 monitors'.padEnd(52)} ${zero.rssMb.toFixed(1).padStart(7)} MB  (peak ${zero.peakMb.toFixed(1)} MB)`);
    const row = (label: string, m: typeof loaded) =>
      out(`${label.padEnd(52)} ${m.rssMb.toFixed(1).padStart(7)} MB  (peak ${m.peakMb.toFixed(1)} MB, highest 250 ms sample ${(m.sinceFirstPollMs / 1000).toFixed(1)} s after the first poll; ${m.results} results pushed for ${m.monitorsChecked} monitors, ${m.down} not up)`);
    row(`runner, ${MONITORS} monitors after ${(loaded.waitedMs / 1000).toFixed(0)} s`, loaded);
    row(`same, NODE_OPTIONS=--max-old-space-size=96`, capped);
    out(`the peak (VmHWM) is garbage piling up in V8's old space before the first full GC of the interval, not live data; capping old space keeps it down`);
    out(`per monitor above the 0-monitor runner: ${(((loaded.rssMb - zero.rssMb) * 1024) / MONITORS).toFixed(2)} kB`);
    const met = loaded.rssMb <= 200 && monitorsChecked >= MONITORS;
    out(`target: RSS ≤ 200 MB after a full interval with every monitor checked → ${loaded.rssMb.toFixed(1)} MB ${met ? 'MET' : 'NOT MET'}`);
    return {
      name: '3. runner RSS, 10k monitors',
      target: '≤ 200 MB',
      measured: `${loaded.rssMb.toFixed(1)} MB (peak ${loaded.peakMb.toFixed(0)}; capped heap ${capped.rssMb.toFixed(0)}/${capped.peakMb.toFixed(0)})`,
      baseline: `node ${idle.toFixed(0)}, +tsx ${idleTsx.toFixed(0)}, 0 mon ${zero.rssMb.toFixed(0)} MB`,
      met,
    };
  } finally {
    await fake.close();
  }
}
