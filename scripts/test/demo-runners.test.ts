import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { postgresSkip, startTestApi, type TestApi } from '../../api/test/support/harness.ts';
import { freePort, startRunnerProcess, waitFor, type Proc, isAlive } from './support/processes.ts';
import { runReadmeTour } from './support/readme-tour.ts';

// The README's steps and nothing else: `npm start` (a control plane and one runner in region
// "local"), the five-minute tour, then `npm run demo`. The demo starts one runner per team zone
// itself, so every edge monitor (run_from a zone) runs and goes up; when the demo stops, its
// runners stop with it.
// Run with: npm test -- scripts/test/demo-runners.test.ts

const root = join(import.meta.dirname, '..', '..');
const skip = postgresSkip();
let api: TestApi;
let localRunner: Proc | undefined;
let demo: ChildProcess | undefined;
let out = '';

/** Runner processes started by `pid` (tsx's esbuild service is a child too, and is not counted). */
const runnersOf = (pid: number) =>
  execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('runner/src/main.ts'))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
let zoneRunners: number[] = [];

before(async () => {
  if (skip) return;
  api = await startTestApi();
  const token = (await api.call('POST', '/v1/runner-tokens', { body: { name: 'local', region: 'local' } })).body.token as string;
  localRunner = startRunnerProcess(api.url, token);
});
after(async () => {
  if (demo && demo.exitCode === null && demo.signalCode === null) {
    // SIGTERM first: the demo stops its runners; whatever is left after 10 s is killed.
    if (demo.pid) zoneRunners = [...new Set([...zoneRunners, ...runnersOf(demo.pid)])];
    const exited = new Promise((resolve) => demo!.once('exit', resolve));
    demo.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (demo.exitCode === null && demo.signalCode === null) demo.kill('SIGKILL');
  }
  for (const pid of zoneRunners) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  await localRunner?.stop();
  await api?.close();
});

test('after the tour and npm run demo every edge monitor goes up, and the zone runners stop with the demo', { skip, timeout: 150_000 }, async () => {
  await runReadmeTour(api.url, api.adminToken);
  demo = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/demo.ts')], {
    cwd: root,
    env: { ...process.env, PHAROS_API_URL: api.url, PHAROS_TOKEN: api.adminToken, PHAROS_DEMO_CONTROL_PORT: String(await freePort()), PHAROS_DEMO_INTERVAL: '5' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  demo.stdout!.on('data', (d) => (out += d));
  demo.stderr!.on('data', (d) => (out += d));
  await waitFor('the demo to declare its fleet', 60_000, async () => out.includes('Ctrl-C stops the fleet') || (demo!.exitCode !== null && assert.fail(out)), 250);
  assert.match(out, /Started 6 zone runners \(region local/, out);

  const edgeStates = async () => {
    const status = (await api.call('GET', '/v1/status')).body;
    return (status.services as Array<{ monitors: Array<{ name: string; state: string }> }>).flatMap((s) => s.monitors).filter((m) => m.name.includes('-reaches-'));
  };
  let last: Array<{ name: string; state: string }> = [];
  await waitFor('every edge monitor to be up', 75_000, async () => {
    last = await edgeStates();
    return last.length === 55 && last.every((m) => m.state === 'up');
  }, 1000).catch(() => assert.fail(`edge monitors not up: ${JSON.stringify(last.filter((m) => m.state !== 'up'))}\n${out}`));

  const runners = runnersOf(demo.pid!);
  zoneRunners = runners;
  assert.equal(runners.length, 6, `one runner process per zone: ${runners.join(', ')}`);
  demo.kill('SIGTERM');
  await new Promise((resolve) => (demo!.exitCode !== null ? resolve(undefined) : demo!.once('exit', resolve)));
  await waitFor('the zone runners to stop', 10_000, async () => runners.every((pid) => !isAlive(pid)));
});
