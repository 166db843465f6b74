import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startHttpFixture, type HttpFixture } from './helpers/http.fixture.ts';
import { monitor } from './helpers/monitor.factory.ts';
import { FakeControlPlane, until } from './support/control-plane.fake.ts';
import { freePort, spawnRunner, type SpawnedRunner } from './support/runner-process.harness.ts';

// Every test starts runner/src/main.ts as a child process, the way operators run it.

let target: HttpFixture;
const children: SpawnedRunner[] = [];
const spawnTracked = (env: Record<string, string>): SpawnedRunner => {
  const child = spawnRunner({ PHAROS_RUNNER_METRICS_PORT: '0', ...env });
  children.push(child);
  return child;
};

before(async () => {
  target = await startHttpFixture();
});
after(async () => {
  children.forEach((c) => c.kill());
  await target.close();
});

describe('runner process', { concurrency: true, timeout: 60_000 }, () => {
  it('refuses to start without its settings and names each missing variable', async () => {
    const runner = spawnTracked({ PHAROS_RUNNER_TOKEN: 'phs_api_token', PHAROS_RUNNER_BUFFER: 'lots' });
    const { code } = await runner.exited;
    assert.equal(code, 1);
    const out = runner.output();
    assert.match(out, /PHAROS_API_URL: is required/);
    assert.match(out, /PHAROS_RUNNER_TOKEN: must be a runner token starting with \\"phr_\\"/);
    assert.match(out, /PHAROS_RUNNER_BUFFER: must be a whole number/);
  });

  it('exits non-zero with the API message when the protocol is incompatible (426)', async () => {
    const api = await FakeControlPlane.start({ protocolVersions: [99] });
    try {
      const runner = spawnTracked({ PHAROS_API_URL: api.url, PHAROS_RUNNER_TOKEN: api.token });
      const { code } = await runner.exited;
      assert.equal(code, 1);
      const fatal = runner.logs.find((l) => l.level === 60);
      assert.ok(fatal, runner.output());
      assert.equal(fatal.code, 'incompatible_runner');
      assert.match(String(fatal.msg), /speaks runner protocol 99; the runner speaks 1\. Upgrade the runner\./);
    } finally {
      await api.close();
    }
  });

  it('exits with a clear message when the token is rejected (401) or belongs to another region', async () => {
    const api = await FakeControlPlane.start({ region: 'us-west-2' });
    try {
      const revoked = spawnTracked({ PHAROS_API_URL: api.url, PHAROS_RUNNER_TOKEN: 'phr_revoked' });
      const wrongRegion = spawnTracked({ PHAROS_API_URL: api.url, PHAROS_RUNNER_TOKEN: api.token, PHAROS_REGION: 'us-east-1' });
      const [a, b] = await Promise.all([revoked.exited, wrongRegion.exited]);
      assert.equal(a.code, 1);
      assert.match(String(revoked.logs.find((l) => l.level === 60)?.msg), /rejected PHAROS_RUNNER_TOKEN \(unknown or revoked\).*POST \/v1\/runner-tokens/);
      assert.equal(b.code, 1);
      assert.match(String(wrongRegion.logs.find((l) => l.level === 60)?.msg), /PHAROS_REGION is "us-east-1" but .* region "us-west-2"/);
    } finally {
      await api.close();
    }
  });

  it('a taken metrics port exits 1 with a message naming the setting to change', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      const runner = spawnTracked({ PHAROS_API_URL: 'http://127.0.0.1:9', PHAROS_RUNNER_TOKEN: 'phr_x', PHAROS_RUNNER_METRICS_PORT: String(port), PHAROS_RUNNER_METRICS_HOST: '127.0.0.1' });
      const { code } = await runner.exited;
      assert.equal(code, 1);
      const fatal = runner.logs.find((l) => l.level === 60);
      assert.match(String(fatal?.msg), new RegExp(`^PHAROS_RUNNER_METRICS_PORT: 127\\.0\\.0\\.1 port ${port} is already in use .*OpenTelemetry.*Set PHAROS_RUNNER_METRICS_PORT to a free port, to "auto" .*or to 0`), runner.output());
    } finally {
      squatter.close();
    }
  });

  it('serves /metrics on loopback only when PHAROS_RUNNER_METRICS_HOST is 127.0.0.1, on a port the system picks with "auto"', async () => {
    const api = await FakeControlPlane.start();
    try {
      const runner = spawnTracked({ PHAROS_API_URL: api.url, PHAROS_RUNNER_TOKEN: api.token, PHAROS_RUNNER_METRICS_PORT: 'auto', PHAROS_RUNNER_METRICS_HOST: '127.0.0.1' });
      const line = await runner.waitForLog((l) => l.msg === 'serving /metrics and /healthz', 'the metrics server', 30_000);
      assert.equal(line.host, '127.0.0.1');
      assert.ok(Number(line.port) > 0);
      assert.equal(line.url, `http://127.0.0.1:${line.port}/metrics`);
      assert.equal((await fetch(String(line.url))).status, 200);
      // Another address of this machine must not answer on that port.
      const external = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
      if (external) {
        const refused = await new Promise<boolean>((resolve) => {
          const socket = net.connect({ host: external.address, port: Number(line.port) });
          socket.once('connect', () => (socket.destroy(), resolve(false)));
          socket.once('error', () => resolve(true));
        });
        assert.ok(refused, `not reachable on ${external.address}`);
      }
    } finally {
      await api.close();
    }
  });

  it('a spool directory it cannot use exits 1 with a message naming PHAROS_RUNNER_SPOOL_DIR', async () => {
    const notADirectory = fileURLToPath(import.meta.url); // a file
    const runner = spawnTracked({ PHAROS_API_URL: 'http://127.0.0.1:9', PHAROS_RUNNER_TOKEN: 'phr_x', PHAROS_RUNNER_SPOOL_DIR: notADirectory });
    const { code } = await runner.exited;
    assert.equal(code, 1);
    assert.match(String(runner.logs.find((l) => l.level === 60)?.msg), /^PHAROS_RUNNER_SPOOL_DIR: cannot use ".*runner\.process\.test\.ts" for the result spool: .*Point it at a writable directory/, runner.output());
  });

  it('on SIGTERM stops checking, flushes buffered results, deregisters and exits 0', async () => {
    const api = await FakeControlPlane.start({ pollWaitSeconds: 1 });
    try {
      const m = monitor({ type: 'http', interval_seconds: 1, timeout_seconds: 2, http: { url: `${target.baseUrl}/status/200?m=term` } });
      api.setMonitors([m]);
      const metricsPort = await freePort();
      const runner = spawnTracked({
        PHAROS_API_URL: api.url,
        PHAROS_RUNNER_TOKEN: api.token,
        PHAROS_RUNNER_METRICS_PORT: String(metricsPort),
        PHAROS_RUNNER_METRICS_HOST: '127.0.0.1',
      });
      await until(() => api.resultsOf(m.id).length >= 1, 'a first result', 30_000); // generous: a spawned tsx process starts slowly on a busy machine
      const health = await fetch(`http://127.0.0.1:${metricsPort}/healthz`);
      assert.equal(health.status, 200);
      assert.match(await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(), /^pharos_runner_checks_total\{type="http",status="up"\} \d+$/m);

      // Make results pile up in the runner's buffer, then stop it while they are unsent.
      api.pause('503');
      const hitsAtPause = target.requests.filter((r) => r.url.endsWith('m=term')).length;
      await until(() => target.requests.filter((r) => r.url.endsWith('m=term')).length >= hitsAtPause + 2, 'two checks during the outage', 10_000);
      api.resume();
      runner.child.kill('SIGTERM');
      const { code } = await runner.exited;
      assert.equal(code, 0, runner.output());

      const hits = target.requests.filter((r) => r.url.endsWith('m=term')).length;
      assert.equal(api.resultsOf(m.id).length, hits, 'every check that ran reached the API');
      assert.ok([...api.receipts.values()].every((n) => n === 1), 'nothing was sent twice');
      assert.deepEqual(api.deregistrations, [api.registrations[0]!.runnerId]);
      assert.ok(runner.logs.some((l) => l.msg === 'buffered results pushed' || l.msg === 'pharos runner stopped'));
    } finally {
      await api.close();
    }
  });
});
