import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { embeddedKeyFile } from '../../api/src/crypto/key-source.ts';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor, isAlive } from './support/processes.ts';

// npm start supervises its local runner: a runner that cannot start (its metrics port taken, as by
// a second Pharos or an OpenTelemetry exporter on 9464) is restarted with backoff and never takes
// the control plane down; by default the runner's metrics listen on loopback, on a port of their own.

const root = join(import.meta.dirname, '..', '..');

function startPharos(env: NodeJS.ProcessEnv) {
  const base = { ...process.env };
  delete base.PHAROS_RUNNER_METRICS_PORT;
  delete base.PHAROS_RUNNER_METRICS_HOST;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/start.ts')], {
    cwd: root, env: { ...base, DATABASE_URL: '', PHAROS_ADMIN_TOKEN: `phs_${'s'.repeat(32)}`, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child, exited, output: () => text,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

async function squat(port: number): Promise<Server | undefined> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined)); // already taken by someone else: just as good
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const healthy = async (base: string) => fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.status === 200, () => false);

test('a local runner whose metrics port is taken is restarted with backoff; the control plane keeps answering', { timeout: 150_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pharos-supervise-'));
  const port = await freePort();
  const metricsPort = await freePort();
  const squatter = await squat(metricsPort);
  assert.ok(squatter, 'the metrics port is held for the test');
  const pharos = startPharos({ PORT: String(port), PHAROS_DATA_DIR: dataDir, PHAROS_RUNNER_METRICS_PORT: String(metricsPort), PHAROS_RUNNER_METRICS_HOST: '127.0.0.1' });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor('the control plane', 90_000, async () => pharos.child.exitCode === null && (await healthy(base)), 250);
    const restarts = await waitFor('two restarts of the runner', 60_000, async () => {
      const lines = pharos.output().split('\n').filter((l) => l.startsWith('pharos: the local runner stopped'));
      if (pharos.child.exitCode !== null) throw new Error(`npm start exited:\n${pharos.output()}`);
      return lines.length >= 2 ? lines : undefined;
    }, 100);
    // The reason (exit code and the runner's own message naming the setting) and a growing delay.
    assert.match(restarts[0]!, new RegExp(`\\(exit code 1\\): PHAROS_RUNNER_METRICS_PORT: 127\\.0\\.0\\.1 port ${metricsPort} is already in use .*; restarting it in 1 s \\(attempt 1\\)\\. The control plane keeps running\\.`));
    assert.match(restarts[1]!, /restarting it in 2 s \(attempt 2\)/);
    assert.equal(pharos.child.exitCode, null, 'npm start is still running');
    assert.ok(await healthy(base), 'the control plane answers /healthz');

    // Free the port: the next restart succeeds and the runner serves its metrics there.
    squatter.close();
    await waitFor('the runner running again', 60_000, async () => pharos.output().includes('pharos: the local runner is running again.'), 200);
    assert.match(pharos.output(), new RegExp(`Local runner \\(region "local"\\): metrics on http://127\\.0\\.0\\.1:${metricsPort}/metrics`));
    assert.match(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(), /^pharos_runner_registrations_total 1$/m);
    assert.ok(await healthy(base));
    assert.equal(await pharos.stop(), 0, `a clean shutdown:\n${pharos.output().slice(-2000)}`);
  } finally {
    squatter.close();
    await pharos.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(embeddedKeyFile(dataDir), { force: true });
  }
});

test('by default the local runner serves metrics on loopback on a port of its own, even when 9464 is taken', { timeout: 150_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pharos-supervise-'));
  const port = await freePort();
  const otel = await squat(9464);
  const pharos = startPharos({ PORT: String(port), PHAROS_DATA_DIR: dataDir });
  try {
    const url = await waitFor('the printed metrics URL', 90_000, async () => {
      if (pharos.child.exitCode !== null) throw new Error(`npm start exited:\n${pharos.output()}`);
      return /Local runner \(region "local"\): metrics on (http:\/\/\S+)/.exec(pharos.output())?.[1];
    }, 200);
    const metrics = new URL(url);
    assert.equal(metrics.hostname, '127.0.0.1');
    assert.notEqual(metrics.port, '9464');
    assert.match(await (await fetch(url)).text(), /^pharos_runner_result_buffer_depth \d+$/m);
    await waitFor('the runner registered', 30_000, async () => pharos.output().includes('registered with the control plane'), 200);
    assert.doesNotMatch(pharos.output(), /the local runner stopped/);
    assert.equal(await pharos.stop(), 0);
    assert.doesNotMatch(pharos.output(), /second signal/, 'the runner got one signal and shut down in order');
  } finally {
    otel?.close();
    await pharos.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(embeddedKeyFile(dataDir), { force: true });
  }
});

/** Pids of the direct children of `pid` whose command line contains `entry` (Linux /proc). */
function childPids(pid: number, entry: string): number[] {
  const children = readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  return children.filter((c) => {
    try {
      return readFileSync(`/proc/${c}/cmdline`, 'utf8').includes(entry);
    } catch {
      return false;
    }
  });
}

test('when the control plane dies, npm start says so, stops the runner and exits non-zero', { timeout: 150_000, skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pharos-supervise-'));
  const port = await freePort();
  const pharos = startPharos({ PORT: String(port), PHAROS_DATA_DIR: dataDir });
  try {
    await waitFor('the runner registered', 90_000, async () => pharos.output().includes('registered with the control plane'), 200);
    const [apiPid] = childPids(pharos.child.pid!, 'api/src/main.ts');
    const [runnerPid] = childPids(pharos.child.pid!, 'runner/src/main.ts');
    assert.ok(apiPid && runnerPid, 'both children found');
    process.kill(apiPid, 'SIGKILL');
    assert.equal(await pharos.exited, 1);
    assert.match(pharos.output(), /pharos: the control plane stopped \(signal SIGKILL\)\./);
    assert.match(pharos.output(), /npm start does not restart the control plane; stopping the local runner/);
    assert.equal(isAlive(runnerPid), false, 'the runner was stopped too');
  } finally {
    await pharos.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(embeddedKeyFile(dataDir), { force: true });
  }
});
