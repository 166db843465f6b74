import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeControlPlane } from '../../runner/test/support/control-plane.fake.ts';
import { freePort } from '../test/support/processes.ts';
import { httpMonitor, memoryOf, monitorId, onInterrupt, out, root, sleep, track, type Figure, type Target } from './runner.support.ts';

// Figure 6: CPU per check at a realistic rate, the runner against Prometheus blackbox_exporter.
// 10,000 http monitors every 30 s (333 checks/s) run by the real runner process (runner/src/main.ts
// as operators start it, or the production bundle when `npm run build` made one), fed by the runner
// tests' fake protocol server so that every result is really pushed; and blackbox_exporter driven at
// the same 333 probes/s by runner.blackbox.driver.ts (GET /probe?module=http_get&target=…, as
// Prometheus scrapes it; the exporter opens a fresh connection per probe, as the runner does). Both
// hit the same target process (runner.target.ts). Each measured process is pinned to its own core
// (taskset), everything else to the other one; windows are interleaved (runner, exporter, runner,
// exporter …), each after a warm-up (a full 30 s interval for the runner). CPU is utime + stime
// (+ children's) from /proc/<pid>/stat; the fake control plane's and the driver's CPU is not counted.

const MONITORS = Number(process.env.BENCH_BLACKBOX_MONITORS ?? 10_000);
const INTERVAL_S = 30;
const RATE = MONITORS / INTERVAL_S;
const WINDOW_S = Number(process.env.BENCH_BLACKBOX_WINDOW_S ?? 60);
const ROUNDS = Number(process.env.BENCH_BLACKBOX_ROUNDS ?? 2);
const EXPORTER_WARMUP_S = 10;
/** Extra node flags for the measured runner, e.g. BENCH_RUNNER_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
const RUNNER_FLAGS = (process.env.BENCH_RUNNER_FLAGS ?? '').split(' ').filter(Boolean);

const exporterModule = `# blackbox_exporter module of bench:runner figure 6: one plain GET, success on 2xx (the default),
# the Pharos monitor's 10 s timeout.
modules:
  http_get:
    prober: http
    timeout: 10s
    http:
      method: GET
      preferred_ip_protocol: ip4
`;

interface Window {
  cpuMs: number;
  /** Checks (runner) or probes (exporter) finished in the window. */
  done: number;
  seconds: number;
  peakMb: number;
  /** Runner: push requests in the window; exporter: failed probes. */
  pushes: number;
  notUp: number;
}

const perCheck = (w: Window): number => w.cpuMs / Math.max(1, w.done);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** utime + stime + cutime + cstime of a process, in ms (clock ticks of 10 ms). */
function cpuOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10;
}

function which(candidates: string[]): string | undefined {
  for (const c of candidates) {
    if (c.startsWith('/') && existsSync(c)) return c;
    const found = spawnSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' }).stdout.trim();
    if (found) return found;
  }
  return undefined;
}

/**
 * The runner as operators start it: the production bundle, built by `npm run build` from this
 * checkout into the figure's temp dir (a dist/ left by an earlier build may be older than the
 * sources), or the source under tsx when there is no build script or the build fails.
 * BENCH_RUNNER_ROOT measures the runner of another checkout under tsx (e.g. the commit before a change).
 */
function runnerEntry(dir: string): { args: string[]; label: string } {
  const other = process.env.BENCH_RUNNER_ROOT;
  if (other) return { args: ['--import', 'tsx', join(other, 'runner/src/main.ts')], label: `node --import tsx runner/src/main.ts in ${other}` };
  const tsx = { args: ['--import', 'tsx', join(root, 'runner/src/main.ts')], label: 'node --import tsx runner/src/main.ts (no production build)' };
  if (!existsSync(join(root, 'scripts/build.ts'))) return tsx;
  // npm packages stay external to the bundle: they resolve from a node_modules beside it.
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const built = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/build.ts'), '--outdir', join(dir, 'dist')], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0 || !existsSync(join(dir, 'dist/runner.js'))) {
    out(`npm run build failed, measuring the runner under tsx instead:\n${built.stdout}${built.stderr}`);
    return tsx;
  }
  return { args: [join(dir, 'dist/runner.js')], label: 'node dist/runner.js (the production bundle, built by npm run build from this checkout for the figure)' };
}

/** Pins every thread of a running process to these cores. */
function pin(pid: number, cores: string): void {
  spawnSync('taskset', ['-a', '-p', '-c', cores, String(pid)], { stdio: 'ignore' });
}

function started(child: ChildProcess, what: string): { output: () => string; stop: () => Promise<void> } {
  let text = '';
  child.stdout?.on('data', (d) => (text = (text + d).slice(-20_000)));
  child.stderr?.on('data', (d) => (text = (text + d).slice(-20_000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    output: () => `${what}: ${text}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

async function runnerWindow(fake: FakeControlPlane, core: string, entry: { args: string[] }): Promise<Window> {
  const child = track(spawn('taskset', ['-c', core, process.execPath, ...RUNNER_FLAGS, ...entry.args], {
    cwd: root,
    env: { ...process.env, PHAROS_API_URL: fake.url, PHAROS_RUNNER_TOKEN: fake.token, PHAROS_RUNNER_METRICS_PORT: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  const proc = started(child, 'runner');
  try {
    const pollsBefore = fake.polls.length;
    const deadline = Date.now() + 60_000;
    while (fake.polls.length === pollsBefore) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the runner never polled:\n${proc.output()}`);
      await sleep(100);
    }
    // A full interval: every monitor has been scheduled once and the phase spread is even.
    await sleep((INTERVAL_S + 2) * 1000);
    if (child.exitCode !== null) throw new Error(`the runner exited:\n${proc.output()}`);
    const pid = child.pid!;
    const firstBatch = fake.batches.length;
    const cpu0 = cpuOf(pid);
    const t0 = performance.now();
    await sleep(WINDOW_S * 1000);
    const cpu1 = cpuOf(pid);
    const seconds = (performance.now() - t0) / 1000;
    const batches = fake.batches.slice(firstBatch);
    const ids = batches.flatMap((b) => b.ids);
    const notUp = ids.filter((id) => fake.stored.get(id)?.status !== 'up').length;
    const window = { cpuMs: cpu1 - cpu0, done: ids.length, seconds, peakMb: memoryOf(pid).peakMb, pushes: batches.length, notUp };
    return window;
  } finally {
    await proc.stop();
  }
}

async function exporterWindow(exporter: string, config: string, target: Target, measured: string, helpers: string): Promise<Window> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = track(spawn('taskset', ['-c', measured, exporter, `--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  const proc = started(child, 'blackbox_exporter');
  let driver: ChildProcess | undefined;
  try {
    const deadline = Date.now() + 20_000;
    while (!(await fetch(`${origin}/-/healthy`).then((r) => r.ok, () => false))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`blackbox_exporter did not start:\n${proc.output()}`);
      await sleep(100);
    }
    const driverChild = track(spawn('taskset', ['-c', helpers, process.execPath, '--import', 'tsx', join(import.meta.dirname, 'runner.blackbox.driver.ts'), origin, 'http_get', target.origin, String(RATE), String(MONITORS)], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }));
    driver = driverChild;
    const waitFor = <T>(key: string): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        const onMessage = (m: Record<string, unknown>) => {
          if (!(key in m)) return;
          driverChild.off('message', onMessage);
          resolve(m as T);
        };
        driverChild.on('message', onMessage);
        driverChild.once('exit', (code) => reject(new Error(`the blackbox driver exited with ${code}`)));
      });
    await waitFor('ready');
    type Counts = { sent: number; succeeded: number; failed: number; inFlight: number };
    const counts = (): Promise<Counts> => {
      const answer = waitFor<Counts>('sent');
      driverChild.send({ count: true });
      return answer;
    };
    await sleep(EXPORTER_WARMUP_S * 1000);
    const pid = child.pid!;
    const c0 = await counts();
    const cpu0 = cpuOf(pid);
    const t0 = performance.now();
    await sleep(WINDOW_S * 1000);
    const cpu1 = cpuOf(pid);
    const c1 = await counts();
    const seconds = (performance.now() - t0) / 1000;
    const succeeded = c1.succeeded - c0.succeeded;
    const failed = c1.failed - c0.failed;
    return { cpuMs: cpu1 - cpu0, done: succeeded + failed, seconds, peakMb: memoryOf(pid).peakMb, pushes: 0, notUp: failed };
  } finally {
    if (driver && driver.exitCode === null) {
      const gone = new Promise((r) => driver!.once('exit', r));
      driver.send({ stop: true });
      await Promise.race([gone, sleep(5_000)]);
      driver.kill('SIGKILL');
    }
    await proc.stop();
  }
}

export async function benchBlackbox(target: Target): Promise<Figure> {
  const name = '6. CPU/check vs blackbox_exp.';
  out(`\n## 6. Checks at a realistic rate, runner vs blackbox_exporter: ${MONITORS.toLocaleString('en')} monitors every ${INTERVAL_S} s = ${RATE.toFixed(0)} checks/s, ${ROUNDS} interleaved rounds of ${WINDOW_S} s windows`);
  const exporter = which(['/usr/bin/prometheus-blackbox-exporter', 'prometheus-blackbox-exporter', 'blackbox_exporter']);
  const taskset = which(['taskset']);
  if (!exporter || !taskset) {
    out(`blackbox_exporter or taskset not found: install Debian's packages with: sudo apt-get install prometheus-blackbox-exporter util-linux`);
    return { name, target: '≤ 0.5× exporter', measured: 'not run', baseline: 'blackbox_exporter missing', met: false };
  }
  const version = spawnSync(exporter, ['--version'], { encoding: 'utf8' });
  const n = cpus().length;
  const measured = String(n - 1);
  const helpers = n > 2 ? `0-${n - 2}` : '0';
  const dir = mkdtempSync(join(tmpdir(), 'pharos-bench-blackbox-'));
  const entry = runnerEntry(dir);
  out(`runner: ${entry.label}; blackbox_exporter: ${exporter} (${/version (\S+)/.exec(`${version.stdout}${version.stderr}`)?.[1] ?? 'version unknown'}), module http_get (GET, 2xx, 10 s timeout)`);
  out(`measured process on core ${measured}; this process (fake control plane), the target and the probe driver on core ${helpers}`);

  const config = join(dir, 'blackbox.yml');
  writeFileSync(config, exporterModule);
  const all = `0-${n - 1}`;
  const unpin = (): void => {
    pin(process.pid, all);
    pin(target.pid, all);
  };
  const forget = onInterrupt(async () => {
    unpin();
    rmSync(dir, { recursive: true, force: true });
  });
  pin(process.pid, helpers);
  pin(target.pid, helpers);
  const fake = await FakeControlPlane.start({ pollWaitSeconds: 20, maxBatch: 1000 });
  try {
    fake.setMonitors(Array.from({ length: MONITORS }, (_, i) => httpMonitor(monitorId(), `${target.origin}/m/${i}`, INTERVAL_S)));
    const runner: Window[] = [];
    const box: Window[] = [];
    const row = (label: string, w: Window, extra: string) =>
      out(`${label.padEnd(28)} ${perCheck(w).toFixed(3).padStart(6)} CPU-ms/check  ${((w.cpuMs / (w.seconds * 1000)) * 100).toFixed(1).padStart(5)} % of a core  ${(w.done / w.seconds).toFixed(0).padStart(4)} checks/s  RSS peak ${w.peakMb.toFixed(0).padStart(4)} MB  ${extra}`);
    for (let round = 1; round <= ROUNDS; round++) {
      const r = await runnerWindow(fake, measured, entry);
      runner.push(r);
      row(`round ${round}: runner`, r, `${(r.pushes / r.seconds).toFixed(1)} pushes/s for ${(r.done / r.seconds).toFixed(0)} results/s (${(r.done / Math.max(1, r.pushes)).toFixed(1)} per batch), ${r.notUp} not up`);
      const b = await exporterWindow(exporter, config, target, measured, helpers);
      box.push(b);
      row(`round ${round}: blackbox_exporter`, b, `${b.notUp} probes failed`);
      out(`round ${round}: ratio runner / exporter ${(perCheck(r) / perCheck(b)).toFixed(2)}`);
    }
    const ratio = median(runner.map(perCheck)) / median(box.map(perCheck));
    const rateOk = runner.every((w) => w.done / w.seconds > RATE * 0.9) && box.every((w) => w.done / w.seconds > RATE * 0.9);
    const met = ratio <= 0.5 && rateOk;
    out(`median CPU-ms per check: runner ${median(runner.map(perCheck)).toFixed(3)}, blackbox_exporter ${median(box.map(perCheck)).toFixed(3)}`);
    out(`target: runner CPU per check ≤ 0.5× blackbox_exporter's at ${RATE.toFixed(0)}/s each → ratio of medians ${ratio.toFixed(2)} ${met ? 'MET' : 'NOT MET'}${rateOk ? '' : ' (a process did not keep up with the rate)'}`);
    return {
      name,
      target: '≤ 0.5× exporter',
      measured: `${median(runner.map(perCheck)).toFixed(3)} ms/check, ratio ${ratio.toFixed(2)}, ${median(runner.map((w) => w.pushes / w.seconds)).toFixed(1)} pushes/s`,
      baseline: `blackbox_exporter ${median(box.map(perCheck)).toFixed(3)} ms/probe`,
      met,
    };
  } finally {
    await fake.close();
    unpin();
    forget();
    rmSync(dir, { recursive: true, force: true });
  }
}
