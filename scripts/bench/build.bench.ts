import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeControlPlane } from '../../runner/test/support/control-plane.fake.ts';
import { createDatabase, startPostgresCluster } from '../postgres-cluster.ts';
import { buildProduction } from '../build.bundle.ts';
import { processEntries } from '../build.entries.ts';
import { freePort } from '../test/support/processes.ts';
import { idleRss, memoryOf, onInterrupt, out, root, sleep, track } from './runner.support.ts';

// `npm run bench build`: start-up time and idle RSS of the runner and the control plane run from
// source under tsx (`node --import tsx runner/src/main.ts`, as before the production build) and from
// the bundle (`node dist/runner.js`), interleaved, medians of RUNS starts each. Start-up: spawn until
// the runner has registered (with the runner tests' fake protocol server) / the control plane answers
// /healthz 200 (real PostgreSQL, migrations already applied). RSS: /proc/<pid>/status VmRSS after
// SETTLE ms idle. A third runner variant bundles its npm packages too, the option the build does not take.

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 5_000);

const work = mkdtempSync(join(tmpdir(), 'pharos-bench-build-'));
symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
const bundled = join(work, 'dist');
const inlined = join(work, 'dist-inlined');

interface Sample { startMs: number; rssMb: number }

function spawnNode(args: string[], cwd: string, env: NodeJS.ProcessEnv): ChildProcess {
  const { NODE_OPTIONS: _ignored, ...inherited } = process.env;
  return track(spawn(process.execPath, args, { cwd, env: { ...inherited, LOG_LEVEL: 'warn', ...env }, stdio: 'ignore' }));
}

async function measure(child: ChildProcess, ready: () => Promise<boolean>, what: string): Promise<Sample> {
  const t0 = performance.now();
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
      if (await ready()) break;
      if (performance.now() - t0 > 60_000) throw new Error(`${what} not ready in 60 s`);
      await sleep(10);
    }
    const startMs = performance.now() - t0;
    await sleep(SETTLE_MS);
    return { startMs, rssMb: memoryOf(child.pid!).rssMb };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

out(`# Production build: start-up and idle RSS, source under tsx vs the bundle (${RUNS} runs each, interleaved, RSS after ${SETTLE_MS / 1000} s idle)`);
const built = await buildProduction({ outDir: bundled });
await buildProduction({ outDir: inlined, entries: processEntries.filter((e) => e.name === 'runner'), inlinePackages: true });
out(`built ${built.processes.map((p) => `${p.file} ${(p.bytes / 1024).toFixed(0)} KiB`).join(', ')}`);

const cluster = await startPostgresCluster();
const forget = onInterrupt(() => cluster.stop());
const fake = await FakeControlPlane.start({ pollWaitSeconds: 20 });
try {
  const databaseUrl = await createDatabase(cluster.url, `pharos_bench_build_${randomBytes(4).toString('hex')}`);
  const adminToken = `phs_${randomBytes(24).toString('base64url')}`;
  const runnerEnv = { PHAROS_API_URL: fake.url, PHAROS_RUNNER_TOKEN: fake.token, PHAROS_RUNNER_METRICS_PORT: '0' };
  const runner = (args: string[], cwd: string) => async (): Promise<Sample> => {
    const before = fake.registrations.length;
    return measure(spawnNode(args, cwd, runnerEnv), async () => fake.registrations.length > before, 'runner');
  };
  const controlPlane = (args: string[], cwd: string) => async (): Promise<Sample> => {
    const port = await freePort();
    const child = spawnNode(args, cwd, { DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', PHAROS_ADMIN_TOKEN: adminToken });
    return measure(child, () => fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false), 'control plane');
  };
  const variants: Array<{ label: string; run: () => Promise<Sample> }> = [
    { label: 'runner, node --import tsx runner/src/main.ts', run: runner(['--import', 'tsx', join(root, 'runner/src/main.ts')], root) },
    { label: 'runner, node dist/runner.js', run: runner([join(bundled, 'runner.js')], work) },
    { label: 'runner, npm packages bundled too', run: runner([join(inlined, 'runner.js')], work) },
    { label: 'control plane, node --import tsx api/src/main.ts', run: controlPlane(['--import', 'tsx', join(root, 'api/src/main.ts')], root) },
    { label: 'control plane, node dist/control-plane.js', run: controlPlane([join(bundled, 'control-plane.js')], work) },
  ];
  // The first start migrates the empty database; not a sample.
  await variants[4]!.run();
  const samples = new Map(variants.map((v) => [v.label, [] as Sample[]]));
  for (let i = 0; i < RUNS; i++) for (const v of variants) samples.get(v.label)!.push(await v.run());

  const idle = await idleRss(['-e', 'setInterval(() => {}, 1000)'], 2000);
  const idleTsx = await idleRss(['--import', 'tsx', '-e', 'setInterval(() => {}, 1000)'], 3000);
  out('');
  out(`${'process'.padEnd(52)} ${'start-up'.padStart(10)} ${'idle RSS'.padStart(10)}   (min–max start-up, RSS)`);
  for (const v of variants) {
    const s = samples.get(v.label)!;
    const start = s.map((x) => x.startMs);
    const rss = s.map((x) => x.rssMb);
    out(`${v.label.padEnd(52)} ${`${median(start).toFixed(0)} ms`.padStart(10)} ${`${median(rss).toFixed(1)} MB`.padStart(10)}   (${Math.min(...start).toFixed(0)}–${Math.max(...start).toFixed(0)} ms, ${Math.min(...rss).toFixed(1)}–${Math.max(...rss).toFixed(1)} MB)`);
  }
  out(`${'baseline: idle node'.padEnd(52)} ${''.padStart(10)} ${`${idle.toFixed(1)} MB`.padStart(10)}`);
  out(`${'baseline: idle node --import tsx'.padEnd(52)} ${''.padStart(10)} ${`${idleTsx.toFixed(1)} MB`.padStart(10)}`);
  const ratio = (a: number, b: number, pick: (x: Sample) => number) => median(samples.get(variants[b]!.label)!.map(pick)) / median(samples.get(variants[a]!.label)!.map(pick));
  out(`bundle / tsx: runner start-up ×${ratio(0, 1, (x) => x.startMs).toFixed(2)}, RSS ×${ratio(0, 1, (x) => x.rssMb).toFixed(2)}; control plane start-up ×${ratio(3, 4, (x) => x.startMs).toFixed(2)}, RSS ×${ratio(3, 4, (x) => x.rssMb).toFixed(2)}`);
} finally {
  await fake.close();
  await cluster.stop();
  forget();
  rmSync(work, { recursive: true, force: true });
}
