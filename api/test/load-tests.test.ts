import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { record, type SparseHistogram } from '../src/contract/load-test-histogram.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// Load tests on PostgreSQL, driven over HTTP: guard rails, roles, share hand-out through the runner
// protocol, progress merge into percentiles and a verdict, abort reaching a long poll, lease loss.

const skip = postgresSkip();
const secret = 'Bearer lt-secret-4f1c9a';

interface Runner { id: string; token: string; revision: number; pinned: boolean }

describe('load tests on postgres', { skip }, () => {
  let api: TestApi;
  let team: string;
  let otherTeam: string;
  let service: string;
  let editor: string;
  let viewer: string;
  let otherEditor: string;

  before(async () => {
    api = await startTestApi({ app: { runner: { leaseSeconds: 2, recheckMs: 100, disconnectGraceSeconds: 0 }, loadTests: { startAllowanceSeconds: 2, deadlineGraceSeconds: 1 } } });
    team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
    otherTeam = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
    service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id;
    editor = (await expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique('ed'), role: 'team_editor', team_id: team })).token;
    viewer = (await expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique('vw'), role: 'viewer', team_id: team })).token;
    otherEditor = (await expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique('oe'), role: 'team_editor', team_id: otherTeam })).token;
  });
  after(async () => api?.close());

  const monitor = async (url = `http://svc-${unique('h')}.internal:8080/health`) =>
    (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(service), http: { url, secret_headers: { Authorization: secret } } })).id as string;
  // Runners are pinned live (their lease set an hour ahead, again after each poll) unless a test is
  // about losing the lease: on a loaded machine a 2 s lease can lapse between two steps of a test.
  const pin = (r: Runner) => api.database.db.updateTable('runners').set({ lease_expires_at: new Date(Date.now() + 3_600_000) }).where('id', '=', r.id).execute();
  const register = async (region: string, capabilities = ['http', 'load_test'], pinned = true): Promise<Runner> => {
    const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
    const res = await api.call('POST', '/v1/runner/register', { token, body: { protocol_version: 1, version: 'test', capabilities } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const r = { id: res.body.runner_id, token, revision: 0, pinned };
    if (pinned) await pin(r);
    return r;
  };
  const poll = async (r: Runner, wait = 0) => {
    const res = await api.call('GET', `/v1/runner/assignments?runner_id=${r.id}&revision=${r.revision}&wait=${wait}`, { token: r.token });
    if (r.pinned) await pin(r);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    r.revision = res.body.revision;
    return res.body;
  };
  const create = (body: Record<string, unknown>, token = editor) => api.call('POST', '/v1/load-tests', { token, body: { concurrency: 2, rate_per_second: 100, ...body } });
  const progress = (r: Runner, id: string, report: Record<string, unknown>) =>
    api.call('POST', `/v1/runner/load-tests/${id}/progress`, { token: r.token, body: { runner_id: r.id, status_codes: {}, errors_by_code: {}, histogram: {}, max_us: 0, errors: 0, ...report } });
  const histogramOf = (latenciesMs: number[]): SparseHistogram => {
    const h: SparseHistogram = {};
    for (const ms of latenciesMs) record(h, ms * 1000);
    return h;
  };
  const waitFor = async <T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> => {
    const until = Date.now() + ms;
    for (;;) {
      const v = await read();
      if (ok(v)) return v;
      if (Date.now() > until) assert.fail(`${what}: last ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  test('bad input and each guard rail answer problem+json with a stable code and create nothing', async () => {
    const region = unique('r');
    const m = await monitor();
    const cases: Array<[Record<string, unknown>, number, string, RegExp]> = [
      [{ monitor_id: m, service_id: service, regions: [region], requests: 10 }, 422, 'validation_failed', /not both/],
      [{ monitor_id: m, regions: [region] }, 422, 'validation_failed', /exactly one of requests/],
      [{ monitor_id: m, regions: [region], requests: 10, duration_seconds: 5 }, 422, 'validation_failed', /exactly one of requests/],
      [{ service_id: service, regions: [region], requests: 10 }, 422, 'validation_failed', /needs the request/],
      [{ service_id: service, request: { url: 'http://elsewhere.example.org/' }, regions: [region], requests: 10 }, 422, 'load_test_host_not_allowed', /elsewhere\.example\.org.*allowed_hosts/],
      [{ monitor_id: m, regions: [region], requests: 10, concurrency: 5000 }, 422, 'validation_failed', /concurrency/],
      [{ monitor_id: m, regions: [region], requests: 10, concurrency: 51 }, 422, 'load_test_limit_exceeded', /max_concurrency 50/],
      [{ monitor_id: m, regions: [region], duration_seconds: 301 }, 422, 'load_test_limit_exceeded', /max_duration_seconds 300/],
      [{ monitor_id: m, regions: [region], requests: 200_000 }, 422, 'load_test_limit_exceeded', /max_requests 100000/],
      [{ monitor_id: m, regions: [region], requests: 10, rate_per_second: 501 }, 422, 'load_test_limit_exceeded', /max_rate_per_second 500/],
      [{ monitor_id: m, regions: [region], requests: 10 }, 422, 'no_load_test_runner', new RegExp(`No live runner with the load_test capability in ${region}`)],
    ];
    for (const [body, status, code, detail] of cases) {
      const res = await create(body);
      assert.equal(res.status, status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal(res.body.code, code, JSON.stringify(res.body));
      assert.match(res.body.detail, detail);
    }
    const limit = await create({ monitor_id: m, regions: [region], requests: 10, concurrency: 51 });
    assert.deepEqual(limit.body.errors.map((e: { pointer: string }) => e.pointer), ['/concurrency']);
    // A runner without the capability does not count.
    await register(region, ['http']);
    assert.equal((await create({ monitor_id: m, regions: [region], requests: 10 })).body.code, 'no_load_test_runner');
    const list = await api.call('GET', `/v1/load-tests?service_id=${service}`, { token: editor });
    assert.deepEqual(list.body.items, []);
  });

  test('roles: editors start, viewers read, other teams see nothing; only org admins change the settings', async () => {
    const region = unique('r');
    await register(region);
    const m = await monitor();
    assert.equal((await create({ monitor_id: m, regions: [region], requests: 10 }, viewer)).status, 403);
    const hidden = await create({ monitor_id: m, regions: [region], requests: 10 }, otherEditor);
    assert.equal(hidden.status, 422, 'a monitor of another team is reported as missing');
    assert.equal(hidden.body.errors[0].pointer, '/monitor_id');
    const made = await create({ monitor_id: m, regions: [region], requests: 10 });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal((await api.call('GET', `/v1/load-tests/${made.body.id}`, { token: viewer })).status, 200);
    assert.equal((await api.call('GET', `/v1/load-tests/${made.body.id}`, { token: otherEditor })).status, 404);
    assert.equal((await api.call('DELETE', `/v1/load-tests/${made.body.id}`, { token: viewer })).status, 403);
    assert.equal((await api.call('DELETE', `/v1/load-tests/${made.body.id}`, { token: otherEditor })).status, 404);
    assert.equal((await api.call('GET', '/v1/load-tests', { token: otherEditor })).body.items.some((t: { id: string }) => t.id === made.body.id), false);
    assert.equal((await api.call('PUT', '/v1/load-test-settings', { token: editor, body: { max_concurrency: 10 } })).status, 403);
    assert.equal((await api.call('GET', '/v1/load-test-settings', { token: viewer })).body.max_concurrency, 50);
    assert.equal((await api.call('DELETE', `/v1/load-tests/${made.body.id}`, { token: editor })).status, 200);
  });

  test('allow-list: a host an org admin allows becomes a target; settings are audited', async () => {
    const region = unique('r');
    await register(region);
    const host = `${unique('edge')}.partner.example.com`;
    const body = { service_id: service, request: { url: `https://${host}/search`, secret_headers: { 'X-Key': secret } }, regions: [region], requests: 10 };
    assert.equal((await create(body)).body.code, 'load_test_host_not_allowed');
    const put = await api.call('PUT', '/v1/load-test-settings', { body: { allowed_hosts: ['*.partner.example.com'] } });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.max_concurrency, 50, 'a missing field takes its default');
    const made = await create(body);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.request.secret_headers, undefined);
    assert.equal(JSON.stringify(made.body).includes(secret), false, 'secret headers are never returned');
    const audit = await api.call('GET', '/v1/audit?resource_type=load_test_settings');
    assert.equal(audit.status, 200, JSON.stringify(audit.body));
    assert.ok(audit.body.items.length >= 1);
    await api.call('PUT', '/v1/load-test-settings', { body: {} });
    await api.call('DELETE', `/v1/load-tests/${made.body.id}`);
  });

  test('the share goes to a capable runner with the secret headers; old runners see no change; one running test per target', async () => {
    const region = unique('r');
    const plain = await register(region, ['http']);
    const a = await register(region);
    const b = await register(region);
    await poll(plain); await poll(a); await poll(b);
    const m = await monitor();
    const made = await create({ monitor_id: m, regions: [region], requests: 10, criteria: { p95_below_ms: 100 } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.state, 'queued');
    const owner = made.body.by_region[0].runner_id;
    assert.ok([a.id, b.id].includes(owner));
    const [holder, other] = owner === a.id ? [a, b] : [b, a];
    const got = await poll(holder, 5);
    assert.equal(got.load_tests.length, 1);
    const share = got.load_tests[0];
    assert.equal(share.load_test_id, made.body.id);
    assert.equal(share.requests, 10);
    assert.equal(share.request.secret_headers.Authorization, secret, 'the runner gets the monitor\'s secret headers');
    assert.deepEqual((await poll(other)).load_tests, []);
    const old = await poll(plain);
    assert.equal('load_tests' in old, false, 'a runner without the capability sees no load-test fields');
    assert.equal('aborted_load_tests' in old, false);
    // The next share goes to the runner with fewer unfinished shares.
    const m2 = await monitor();
    const second = await create({ monitor_id: m2, regions: [region], requests: 10 });
    assert.equal(second.body.by_region[0].runner_id, other.id, 'least loaded runner');
    const again = await create({ monitor_id: m, regions: [region], requests: 10 });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'load_test_running');
    assert.match(again.body.detail, new RegExp(made.body.id));
    const audit = await api.call('GET', `/v1/audit?resource_type=load_test&resource_id=${made.body.id}`);
    assert.equal(audit.body.items[0].action, 'create');
    assert.equal(JSON.stringify(audit.body).includes(secret), false, 'no secret in the audit log');
    await api.call('DELETE', `/v1/load-tests/${made.body.id}`);
    await api.call('DELETE', `/v1/load-tests/${second.body.id}`);
  });

  test('progress of two regions merges into overall percentiles and a verdict; lower seq is ignored', async () => {
    const [r1, r2] = [unique('r'), unique('r')];
    const x = await register(r1);
    const y = await register(r2);
    const m = await monitor();
    const made = await create({ monitor_id: m, regions: [r1, r2], requests: 201, criteria: { p95_below_ms: 150, error_rate_below: 0.05 } });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.deepEqual(made.body.by_region.map((r: { requests: number }) => r.requests), [0, 0]);
    const shares = [(await poll(x)).load_tests[0], (await poll(y)).load_tests[0]];
    assert.deepEqual(shares.map((s) => s.requests).sort(), [100, 101], 'requests split over the regions');
    // Region 1: 100 requests at 10 ms; region 2: 101 requests at 200 ms, 1 of them a 503.
    const fast = Array.from({ length: 100 }, () => 10);
    const slow = Array.from({ length: 101 }, () => 200);
    assert.deepEqual((await progress(x, made.body.id, { seq: 1, final: false, elapsed_ms: 500, requests: 50, histogram: histogramOf(fast.slice(0, 50)), max_us: 10_000, status_codes: { 200: 50 } })).body, { abort: false });
    const running = (await api.call('GET', `/v1/load-tests/${made.body.id}`, { token: viewer })).body;
    assert.equal(running.state, 'running');
    assert.ok(running.progress > 0 && running.progress < 1, String(running.progress));
    assert.equal((await progress(x, made.body.id, { seq: 2, final: true, elapsed_ms: 1000, requests: 100, histogram: histogramOf(fast), max_us: 10_000, status_codes: { 200: 100 } })).status, 200);
    // A late report with a lower seq changes nothing.
    await progress(x, made.body.id, { seq: 1, final: false, elapsed_ms: 500, requests: 50, histogram: histogramOf(fast.slice(0, 50)), max_us: 10_000 });
    assert.equal((await progress(y, made.body.id, { seq: 5, final: true, elapsed_ms: 2000, requests: 101, errors: 1, histogram: histogramOf(slow), max_us: 200_000, status_codes: { 200: 100, 503: 1 }, errors_by_code: { http_503: 1 } })).status, 200);
    const done = (await api.call('GET', `/v1/load-tests/${made.body.id}`, { token: viewer })).body;
    assert.equal(done.state, 'failed');
    assert.equal(done.verdict, 'fail');
    assert.equal(done.progress, 1);
    assert.equal(done.overall.requests, 201);
    assert.equal(done.overall.errors, 1);
    assert.deepEqual(done.overall.status_codes, { 200: 200, 503: 1 });
    assert.deepEqual(done.overall.errors_by_code, { http_503: 1 });
    // 100 requests at 10 ms and 101 at 200 ms: the merged p50 (the 101st of 201) is the first slow one,
    // within the histogram's ~3 % (averaging the regions' percentiles would say ~105 ms).
    assert.ok(done.overall.latency.p50_ms >= 200 && done.overall.latency.p50_ms <= 206, String(done.overall.latency.p50_ms));
    assert.ok(done.by_region.find((r: { region: string }) => r.region === r1).latency.p99_ms <= 10.4, 'region 1 alone is fast');
    assert.ok(done.overall.latency.p95_ms >= 200 && done.overall.latency.p95_ms <= 206, String(done.overall.latency.p95_ms));
    assert.equal(done.overall.latency.max_ms, 200);
    assert.equal(done.overall.requests_per_second, 150.5, '100/s + 50.5/s');
    const first = done.by_region.find((r: { region: string }) => r.region === r1);
    assert.equal(first.state, 'done');
    assert.equal(first.requests, 100, 'the late report did not replace the final one');
    assert.equal(first.requests_per_second, 100);
    assert.equal(done.verdict_reasons.length, 1);
    assert.match(done.verdict_reasons[0], /^p95 20\d(\.\d+)? ms is not below 150 ms$/);
    // The same figures with a looser criterion pass.
    const m2 = await monitor();
    const pass = await create({ monitor_id: m2, regions: [r1], requests: 10, criteria: { p95_below_ms: 50 } });
    const share = (await poll(x)).load_tests.find((s: { load_test_id: string }) => s.load_test_id === pass.body.id);
    assert.ok(share);
    await progress(x, pass.body.id, { seq: 0, final: true, elapsed_ms: 100, requests: 10, histogram: histogramOf(fast.slice(0, 10)), max_us: 10_000, status_codes: { 200: 10 } });
    const passed = (await api.call('GET', `/v1/load-tests/${pass.body.id}`)).body;
    assert.equal(passed.state, 'passed');
    assert.equal(passed.verdict, 'pass');
    assert.deepEqual(passed.verdict_reasons, []);
  });

  test('a report from a runner that does not hold the share is refused; a failed share ends the test in error', async () => {
    const region = unique('r');
    const x = await register(region);
    const stranger = await register(unique('r'));
    const made = await create({ monitor_id: await monitor(), regions: [region], duration_seconds: 5 });
    assert.equal((await progress(stranger, made.body.id, { seq: 1, final: false, elapsed_ms: 1, requests: 0 })).status, 404);
    const bad = await progress(x, made.body.id, { seq: 1, final: false, elapsed_ms: 1, requests: 1, errors: 2 });
    assert.equal(bad.status, 422);
    await poll(x);
    await progress(x, made.body.id, { seq: 1, final: true, elapsed_ms: 1, requests: 0, error: 'the request URL could not be parsed' });
    const ended = (await api.call('GET', `/v1/load-tests/${made.body.id}`)).body;
    assert.equal(ended.state, 'error');
    assert.equal(ended.verdict, null);
    assert.match(ended.by_region[0].message, /could not be parsed/);
    assert.match(ended.verdict_reasons[0], new RegExp(`^${region}: `));
  });

  test('abort: aborted at once, a waiting long poll answers with the id, progress answers abort; audited', async () => {
    const region = unique('r');
    const x = await register(region);
    await poll(x);
    const made = await create({ monitor_id: await monitor(), regions: [region], duration_seconds: 60 });
    assert.equal((await poll(x)).load_tests.length, 1);
    await progress(x, made.body.id, { seq: 1, final: false, elapsed_ms: 200, requests: 5, histogram: histogramOf([1, 1, 1, 1, 1]), max_us: 1000 });
    const waiting = poll(x, 20);
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const aborted = await api.call('DELETE', `/v1/load-tests/${made.body.id}`, { token: editor });
    assert.equal(aborted.status, 200, JSON.stringify(aborted.body));
    assert.equal(aborted.body.state, 'aborted');
    assert.equal(aborted.body.by_region[0].state, 'aborted');
    assert.equal(aborted.body.verdict, null);
    let answer = await waiting;
    // The waiting poll may have answered first for another change of this runner's assignments (the
    // test's monitor placed on it by a rebalance that lands late on a busy machine); then the next
    // poll must carry the abort at once.
    if (!answer.aborted_load_tests?.includes(made.body.id)) answer = await poll(x, 20);
    assert.deepEqual(answer.aborted_load_tests, [made.body.id]);
    assert.deepEqual(answer.load_tests, []);
    assert.ok(Date.now() - started < 5_000, 'the long poll answered on the abort, not at its 20 s wait');
    assert.deepEqual((await progress(x, made.body.id, { seq: 2, final: false, elapsed_ms: 400, requests: 9 })).body, { abort: true });
    const again = await api.call('DELETE', `/v1/load-tests/${made.body.id}`, { token: editor });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'load_test_finished');
    const audit = await api.call('GET', `/v1/audit?resource_type=load_test&resource_id=${made.body.id}`);
    assert.deepEqual(audit.body.items.map((e: { action: string }) => e.action), ['update', 'create']);
    assert.equal(audit.body.items[0].after.state, 'aborted');
  });

  test('a share whose runner loses its lease ends in error and the test finishes with error', async () => {
    const [r1, r2] = [unique('r'), unique('r')];
    const live = await register(r1);
    const dying = await register(r2, ['http', 'load_test'], false);
    const made = await create({ monitor_id: await monitor(), regions: [r1, r2], requests: 20 });
    await poll(live); await poll(dying);
    await progress(live, made.body.id, { seq: 1, final: true, elapsed_ms: 100, requests: 10, histogram: histogramOf(Array(10).fill(5)), max_us: 5000, status_codes: { 200: 10 } });
    // `dying` stops polling: its 2 s lease lapses and the sweep ends its share.
    const ended = await waitFor('test ends', async () => (await api.call('GET', `/v1/load-tests/${made.body.id}`)).body, (t) => t.state !== 'running' && t.state !== 'queued');
    assert.equal(ended.state, 'error');
    const lost = ended.by_region.find((r: { region: string }) => r.region === r2);
    assert.equal(lost.state, 'error');
    assert.match(lost.message, new RegExp(`runner ${dying.id} lost its lease`));
    assert.equal(ended.by_region.find((r: { region: string }) => r.region === r1).state, 'done');
    const metrics = await api.call('GET', '/metrics', { token: null });
    assert.match(String(metrics.body), /pharos_load_tests_finished_total\{state="error"\} [1-9]/);
    assert.match(String(metrics.body), /pharos_load_tests_rejected_total\{code="no_load_test_runner"\} [1-9]/);
  });

  test('a test past its deadline plus the grace ends its unfinished regions in error', async () => {
    const region = unique('r');
    const x = await register(region);
    const made = await create({ monitor_id: await monitor(), regions: [region], duration_seconds: 1 });
    // The runner keeps polling (its lease holds) but never reports: deadline = 1 s + 2 s allowance, grace 1 s.
    let told = 0;
    const ended = await waitFor('deadline', async () => {
      told += (await poll(x)).aborted_load_tests.filter((id: string) => id === made.body.id).length;
      return (await api.call('GET', `/v1/load-tests/${made.body.id}`)).body;
    }, (t) => t.state === 'error');
    assert.match(ended.by_region[0].message, /no final report by the test's deadline/);
    told += (await poll(x)).aborted_load_tests.filter((id: string) => id === made.body.id).length;
    told += (await poll(x)).aborted_load_tests.filter((id: string) => id === made.body.id).length;
    assert.equal(told, 1, 'the runner is told to stop the share once');
  });
});
