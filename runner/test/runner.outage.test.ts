import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHttpFixture, type HttpFixture } from './helpers/http.fixture.ts';
import { monitor } from './helpers/monitor.factory.ts';
import { FakeControlPlane, until } from './support/control-plane.fake.ts';
import { freePort, spawnRunner, type SpawnedRunner } from './support/runner-process.harness.ts';

let target: HttpFixture;
let api: FakeControlPlane;
let runner: SpawnedRunner;
let metricsPort: number;

const tags = ['o1', 'o2', 'o3'];
const hits = (): number => target.requests.filter((r) => tags.some((t) => r.url.endsWith(`m=${t}`))).length;
const scrape = async (): Promise<string> => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
const metric = (text: string, name: string): number => Number(new RegExp(`^pharos_runner_${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
const healthz = async (): Promise<{ status: number; body: { status: string; reason?: string } }> => {
  const res = await fetch(`http://127.0.0.1:${metricsPort}/healthz`);
  return { status: res.status, body: (await res.json()) as { status: string; reason?: string } };
};

before(async () => {
  target = await startHttpFixture();
  // A 1 s lease and a 1 s poll wait make /healthz go stale after 3 s without a successful poll.
  api = await FakeControlPlane.start({ leaseSeconds: 1, pollWaitSeconds: 1 });
  api.setMonitors(tags.map((t) => monitor({ type: 'http', interval_seconds: 1, timeout_seconds: 2, http: { url: `${target.baseUrl}/status/200?m=${t}` } })));
  metricsPort = await freePort();
  runner = spawnRunner({
    PHAROS_API_URL: api.url,
    PHAROS_RUNNER_TOKEN: api.token,
    PHAROS_RUNNER_METRICS_PORT: String(metricsPort),
    PHAROS_RUNNER_METRICS_HOST: '127.0.0.1',
  });
});
after(async () => {
  runner.kill();
  await api.close();
  await target.close();
});

describe('runner during a control plane outage', { timeout: 60_000 }, () => {
  it('keeps checking through a ~3 s outage, reports it, then delivers every result exactly once', async (t) => {
    await until(() => api.stored.size >= 3, 'first results', 30_000); // generous: a spawned tsx process starts slowly on a busy machine
    assert.equal((await healthz()).status, 200);

    // 1.5 s of 503s, then 2 s of dropped connections (healthz turns stale after 2 × lease + wait = 3 s).
    const hitsBefore = hits();
    api.pause('503');
    await new Promise((r) => setTimeout(r, 1_500));
    api.pause('drop');
    await new Promise((r) => setTimeout(r, 2_000));
    const during = await healthz();
    const metricsDuring = await scrape();
    api.resume();
    const resumedAt = Date.now();

    // Three monitors every second for 3.5 s: about ten checks; at least one each even on a busy machine.
    assert.ok(hits() >= hitsBefore + 3, `checks kept running while the API was unreachable (${hitsBefore} → ${hits()})`);
    assert.ok(api.outageRequests > 0, 'the runner kept trying during the outage');
    assert.equal(during.status, 503, 'healthz reports the outage after 2 × lease + poll wait');
    assert.equal(during.body.status, 'stale');
    assert.match(String(during.body.reason), /no successful poll for \d+ s/);
    assert.ok(metric(metricsDuring, 'poll_errors_total') >= 1, 'poll errors counted');
    assert.ok(metric(metricsDuring, 'push_errors_total') >= 1, 'push errors counted');
    assert.ok(metric(metricsDuring, 'result_buffer_depth') >= 3, 'results wait in the buffer');

    // The runner notices the API is back within its backoff cap (2 s) and drains the buffer.
    await until(() => api.stored.size >= hits() - 3 && api.polls.at(-1)!.at > resumedAt, 'the buffer to drain', 6_000);
    t.diagnostic(`buffer drained ${Date.now() - resumedAt} ms after the API came back`);
    for (let i = 0; i < 40 && (await healthz()).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await healthz()).status, 200, 'healthz is ok again');

    runner.child.kill('SIGTERM');
    const { code } = await runner.exited;
    assert.equal(code, 0, runner.output().slice(-2000));
    assert.equal(api.stored.size, hits(), 'every check that ran is stored: nothing was lost');
    const duplicates = [...api.receipts].filter(([, n]) => n !== 1);
    assert.deepEqual(duplicates, [], 'each result id reached the API exactly once');
    assert.equal(metric(metricsDuring, 'results_dropped_total'), 0);
  });
});
