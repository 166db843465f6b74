import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LoadTestShare } from '../../api/src/contract/load-test.schema.ts';
import { quantileMs, totalCount } from '../../api/src/contract/load-test-histogram.ts';
import { loadRunnerConfig } from '../src/config/runner.config.ts';
import { ConfigError } from '../src/config/runner.config.ts';
import { loadLoadTestConfig } from '../src/load-test/load-test.config.ts';
import { startRunner, type RunnerProcess } from '../src/main.ts';
import { until } from './support/control-plane.fake.ts';
import { startLatencyTarget, type LatencyTarget } from './support/latency.target.ts';
import { LoadTestControlPlane } from './support/load-test-control-plane.fake.ts';
import { memoryLogger, type LogLine } from './support/runner-process.harness.ts';

// The runner's load-test side against a fake control plane and a real target with 5 ms latency in
// a child process: shares start once, report while they run and once at the end, stop on either
// abort path, survive failing reports, and never leak the secret headers.

const secret = 'sekrit-value-123';
let target: LatencyTarget;
let api: LoadTestControlPlane;
let runner: RunnerProcess;
let lines: LogLine[];
let seq = 0;

function share(fields: Partial<LoadTestShare> & { path?: string } = {}): LoadTestShare {
  seq += 1;
  const { path = '/load', ...rest } = fields;
  return {
    load_test_id: `ldt_01HZZZZZZZZZZZZZZZZZZZZZ${String(seq).padStart(2, '0')}`.slice(0, 30),
    request: { method: 'GET', url: `${target.origin}${path}`, headers: { 'x-plain': 'yes' }, secret_headers: { 'x-secret': secret } },
    requests: 200,
    duration_seconds: null,
    concurrency: 10,
    rate_per_second: null,
    timeout_ms: 2_000,
    deadline: new Date(Date.now() + 120_000).toISOString(),
    ...rest,
  };
}

before(async () => {
  target = await startLatencyTarget(5, secret);
  api = await LoadTestControlPlane.start();
  const memory = memoryLogger();
  lines = memory.lines;
  const config = loadRunnerConfig({ PHAROS_API_URL: api.url, PHAROS_RUNNER_TOKEN: api.token, PHAROS_RUNNER_METRICS_PORT: '0' });
  runner = startRunner({ ...config, loadTests: { enabled: true, maxConcurrency: 40 } }, memory.logger, { checksMs: 1_000, flushMs: 1_000, deregisterMs: 500 });
  await until(() => api.registrations.length === 1, 'registration');
});

after(async () => {
  await runner.shutdown('test over');
  await api.close();
  await target.close();
});

describe('runner load tests', { timeout: 60_000 }, () => {
  it('registers the load_test capability', () => {
    assert.ok(api.registrations[0]!.capabilities.includes('load_test' as never));
  });

  it('runs a requests-bounded share once, with every request counted, latency near the target\'s 5 ms and the secret header sent', async () => {
    const before = (await target.stats()).requests;
    const s = share({ requests: 300 });
    api.update({ shares: [s] });
    await until(() => api.finalOf(s.load_test_id) !== undefined, 'the final report', 20_000);
    // The share stays in the answers a while (the control plane has not seen the final yet): not started twice.
    api.update({ shares: [s] });
    await new Promise((r) => setTimeout(r, 500));
    const final = api.finalOf(s.load_test_id)!;
    assert.equal(final.requests, 300);
    assert.equal(final.errors, 0);
    assert.deepEqual(final.status_codes, { '200': 300 });
    assert.deepEqual(final.errors_by_code, {});
    assert.equal(totalCount(final.histogram), 300);
    const p50 = quantileMs(final.histogram, 0.5)!;
    assert.ok(p50 >= 5 && p50 < 200, `p50 ${p50} ms for a 5 ms target`);
    assert.ok(final.max_us >= 5_000);
    assert.equal(final.error, undefined);
    assert.equal(final.runner_id, 'run_01HZZZZZZZZZZZZZZZZZZZZZZZ');
    const stats = await target.stats();
    assert.equal(stats.requests - before, 300, 'the share ran once: exactly its requests reached the target');
    assert.ok(stats.withSecret >= 300, 'secret headers were sent');
    const seqs = api.reportsOf(s.load_test_id).map((p) => p.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'seq only grows');
    api.update({ shares: [] });
  });

  it('reports progress while a duration share runs, cumulative and with a final report', async () => {
    const s = share({ requests: null, duration_seconds: 3, rate_per_second: 200 });
    api.update({ shares: [s] });
    await until(() => api.finalOf(s.load_test_id) !== undefined, 'the final report', 20_000);
    api.update({ shares: [] });
    const reports = api.reportsOf(s.load_test_id);
    const running = reports.filter((p) => !p.final);
    assert.ok(running.length >= 3, `at least 3 progress reports over 3 s (one every 500 ms), got ${running.length}`);
    for (let i = 1; i < reports.length; i++) assert.ok(reports[i]!.requests >= reports[i - 1]!.requests, 'counts are cumulative');
    const final = reports.at(-1)!;
    assert.ok(final.final);
    assert.ok(final.elapsed_ms >= 2_900 && final.elapsed_ms < 10_000, `elapsed ${final.elapsed_ms} ms for a 3 s share`);
    // 200/s for 3 s: 600 at most (the rate holds), fewer on a machine too busy to keep up.
    assert.ok(final.requests >= 50 && final.requests <= 610, `${final.requests} requests at 200/s for 3 s`);
  });

  it('stops within about a second when the assignments name the test in aborted_load_tests', async () => {
    const s = share({ requests: null, duration_seconds: 60 });
    api.update({ shares: [s] });
    await until(() => api.reportsOf(s.load_test_id).some((p) => p.requests > 0), 'progress with requests', 10_000);
    const abortedAt = Date.now();
    api.update({ shares: [], aborted: [s.load_test_id] });
    await until(() => api.finalOf(s.load_test_id) !== undefined, 'the final report after the abort', 10_000);
    const final = api.finalOf(s.load_test_id)!;
    assert.ok(final.receivedAt - abortedAt < 3_000, `final report ${final.receivedAt - abortedAt} ms after the abort`);
    const served = (await target.stats()).requests;
    await new Promise((r) => setTimeout(r, 500));
    assert.ok((await target.stats()).requests - served <= 1, 'no request reaches the target after the abort');
    assert.equal(final.error, undefined);
    api.update({ aborted: [] });
  });

  it('stops when a progress answer says abort', async () => {
    const s = share({ requests: null, duration_seconds: 60 });
    api.abortOnProgress.add(s.load_test_id);
    api.update({ shares: [s] });
    await until(() => api.finalOf(s.load_test_id) !== undefined, 'the final report after abort: true', 10_000);
    assert.ok(api.finalOf(s.load_test_id)!.elapsed_ms < 10_000);
    api.update({ shares: [] });
  });

  it('retries failed reports with backoff: the final report arrives though the first ones got 503', async () => {
    const s = share({ requests: 50 });
    api.failProgress = 4;
    api.update({ shares: [s] });
    await until(() => api.finalOf(s.load_test_id) !== undefined, 'the final report despite 503s', 20_000);
    assert.equal(api.failProgress, 0);
    assert.equal(api.finalOf(s.load_test_id)!.requests, 50);
    api.update({ shares: [] });
  });

  it('counts failures by the runner\'s error codes and statuses of 400 and above as http_<status>', async () => {
    const refused = share({ requests: 20, request: { method: 'GET', url: 'http://127.0.0.1:1/' } });
    const failing = share({ requests: 20, path: '/status/503' });
    api.update({ shares: [refused, failing] });
    await until(() => api.finalOf(refused.load_test_id) !== undefined && api.finalOf(failing.load_test_id) !== undefined, 'both final reports', 20_000);
    api.update({ shares: [] });
    assert.deepEqual(api.finalOf(refused.load_test_id)!.errors_by_code, { connection_refused: 20 });
    assert.equal(api.finalOf(refused.load_test_id)!.errors, 20);
    const f = api.finalOf(failing.load_test_id)!;
    assert.deepEqual(f.status_codes, { '503': 20 });
    assert.deepEqual(f.errors_by_code, { http_503: 20 });
    assert.equal(f.errors, 20);
  });

  it('ends a share that cannot run with a final report saying why', async () => {
    const late = share({ deadline: new Date(Date.now() - 1_000).toISOString() });
    const ftp = share({ request: { method: 'GET', url: 'ftp://127.0.0.1/' } });
    api.update({ shares: [late, ftp] });
    await until(() => api.finalOf(late.load_test_id) !== undefined && api.finalOf(ftp.load_test_id) !== undefined, 'both final reports', 10_000);
    api.update({ shares: [] });
    assert.match(api.finalOf(late.load_test_id)!.error ?? '', /deadline/);
    assert.match(api.finalOf(ftp.load_test_id)!.error ?? '', /scheme/);
    assert.equal(api.finalOf(ftp.load_test_id)!.requests, 0);
  });

  it('caps concurrency over all shares: a share beyond the cap ends with an error naming the setting', async () => {
    const big = share({ requests: null, duration_seconds: 60, concurrency: 40 });
    api.update({ shares: [big] });
    await until(() => api.reportsOf(big.load_test_id).length > 0, 'the first share runs', 10_000);
    const extra = share({ requests: 10 });
    api.update({ shares: [big, extra] });
    await until(() => api.finalOf(extra.load_test_id) !== undefined, 'the refused share\'s final report', 10_000);
    assert.match(api.finalOf(extra.load_test_id)!.error ?? '', /PHAROS_RUNNER_LOAD_TEST_MAX_CONCURRENCY/);
    api.update({ shares: [], aborted: [big.load_test_id] });
    await until(() => api.finalOf(big.load_test_id) !== undefined, 'the big share stops', 10_000);
    api.update({ aborted: [] });
  });

  it('never logs the secret header', () => {
    const text = JSON.stringify(lines);
    assert.ok(!text.includes(secret), 'the secret value appears in the logs');
    assert.ok(lines.some((l) => l.msg === 'load-test share started'));
  });

  it('on shutdown stops a running share and sends its final report with the reason', async () => {
    const s = share({ requests: null, duration_seconds: 60 });
    api.update({ shares: [s] });
    await until(() => api.reportsOf(s.load_test_id).some((p) => p.requests > 0), 'the share runs', 10_000);
    const startedAt = Date.now();
    assert.equal(await runner.shutdown('test'), 0);
    assert.ok(Date.now() - startedAt < 6_000);
    assert.match(api.finalOf(s.load_test_id)?.error ?? '', /shut down/);
  });
});

describe('load-test configuration', () => {
  it('is on by default with a concurrency cap, off with PHAROS_RUNNER_LOAD_TESTS=off, and names a wrong variable', () => {
    assert.deepEqual(loadLoadTestConfig({}), { enabled: true, maxConcurrency: 200 });
    assert.equal(loadLoadTestConfig({ PHAROS_RUNNER_LOAD_TESTS: 'off' }).enabled, false);
    assert.equal(loadLoadTestConfig({ PHAROS_RUNNER_LOAD_TEST_MAX_CONCURRENCY: '64' }).maxConcurrency, 64);
    assert.throws(() => loadLoadTestConfig({ PHAROS_RUNNER_LOAD_TESTS: 'maybe', PHAROS_RUNNER_LOAD_TEST_MAX_CONCURRENCY: '0' }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.deepEqual(err.problems.map((p) => p.variable), ['PHAROS_RUNNER_LOAD_TESTS', 'PHAROS_RUNNER_LOAD_TEST_MAX_CONCURRENCY']);
      return true;
    });
  });
});
