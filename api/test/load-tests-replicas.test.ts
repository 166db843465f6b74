import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { record, type SparseHistogram } from '../src/contract/load-test-histogram.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// Load tests across two control-plane replicas on one PostgreSQL (nothing of a test lives in one
// process's memory), and the same flow on the embedded database (PGlite) that `npm start` uses.

interface Runner { id: string; token: string; revision: number }

async function setup(api: TestApi) {
  const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
  const service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id;
  const monitor = (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(service), http: { url: `http://${unique('h')}.internal/health` } })).id as string;
  return { team, service, monitor };
}

async function register(api: TestApi, region: string): Promise<Runner> {
  const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
  const res = await api.call('POST', '/v1/runner/register', { token, body: { protocol_version: 1, version: 'test', capabilities: ['http', 'load_test'] } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.runner_id, token, revision: 0 };
}

async function poll(api: TestApi, r: Runner, wait = 0) {
  const res = await api.call('GET', `/v1/runner/assignments?runner_id=${r.id}&revision=${r.revision}&wait=${wait}`, { token: r.token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  r.revision = res.body.revision;
  return res.body;
}

const histogram = (ms: number, n: number): SparseHistogram => {
  const h: SparseHistogram = {};
  record(h, ms * 1000, n);
  return h;
};

describe('load tests across two replicas', { skip: postgresSkip() }, () => {
  let a: TestApi;
  let b: TestApi;
  before(async () => {
    a = await startTestApi({ app: { runner: { recheckMs: 100 }, leaseHolder: 'replica-a' } });
    b = await startTestApi({ database: a.database, app: { runner: { recheckMs: 100 }, leaseHolder: 'replica-b' } });
    b.adminToken = a.adminToken;
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  test('created on one replica, polled, reported and aborted on the other', async () => {
    const { monitor } = await setup(a);
    const region = unique('r');
    const r = await register(b, region);
    await poll(b, r);
    // B's long poll sees a share created on A (no in-process wake-up reaches it: it re-reads PostgreSQL).
    const waiting = poll(b, r, 20);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const made = await expectOk(a, 'POST', '/v1/load-tests', a.adminToken, { monitor_id: monitor, regions: [region], duration_seconds: 60, concurrency: 2, rate_per_second: 10 });
    const started = Date.now();
    const got = await waiting;
    assert.deepEqual(got.load_tests.map((s: { load_test_id: string }) => s.load_test_id), [made.id]);
    assert.ok(Date.now() - started < 5_000, 'the other replica answered within its recheck, not at the 20 s wait');
    const res = await b.call('POST', `/v1/runner/load-tests/${made.id}/progress`, { token: r.token, body: { runner_id: r.id, seq: 1, final: false, elapsed_ms: 1000, requests: 10, errors: 0, status_codes: { 200: 10 }, errors_by_code: {}, histogram: histogram(20, 10), max_us: 20_000 } });
    assert.deepEqual(res.body, { abort: false });
    const read = (await a.call('GET', `/v1/load-tests/${made.id}`)).body;
    assert.equal(read.state, 'running');
    assert.equal(read.overall.requests, 10);
    // Aborted on A: B's waiting poll answers with the id.
    const stopping = poll(b, r, 20);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await a.call('DELETE', `/v1/load-tests/${made.id}`)).status, 200);
    const aborted = Date.now();
    assert.deepEqual((await stopping).aborted_load_tests, [made.id]);
    assert.ok(Date.now() - aborted < 5_000);
  });
});

describe('load tests on the embedded database (PGlite)', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi({ backend: 'pglite', app: { runner: { recheckMs: 100 } } });
  });
  after(async () => api?.close());

  test('create, hand-out, final report, verdict, settings and the declared-host rule', async () => {
    const { monitor, service } = await setup(api);
    const region = unique('r');
    const r = await register(api, region);
    const made = await expectOk(api, 'POST', '/v1/load-tests', api.adminToken, { monitor_id: monitor, regions: [region], requests: 10, concurrency: 2, rate_per_second: 10, criteria: { p95_below_ms: 100 } });
    const share = (await poll(api, r)).load_tests[0];
    assert.equal(share.load_test_id, made.id);
    await api.call('POST', `/v1/runner/load-tests/${made.id}/progress`, { token: r.token, body: { runner_id: r.id, seq: 1, final: true, elapsed_ms: 500, requests: 10, errors: 0, status_codes: { 200: 10 }, errors_by_code: {}, histogram: histogram(20, 10), max_us: 20_000 } });
    const done = (await api.call('GET', `/v1/load-tests/${made.id}`)).body;
    assert.equal(done.state, 'passed');
    assert.equal(done.overall.requests_per_second, 20);
    const refused = await api.call('POST', '/v1/load-tests', { body: { service_id: service, request: { url: 'http://nowhere.example.net/' }, regions: [region], requests: 10, concurrency: 1, rate_per_second: 5 } });
    assert.equal(refused.body.code, 'load_test_host_not_allowed');
    assert.equal((await api.call('PUT', '/v1/load-test-settings', { body: { allowed_hosts: ['nowhere.example.net'] } })).status, 200);
    const allowed = await api.call('POST', '/v1/load-tests', { body: { service_id: service, request: { url: 'http://nowhere.example.net/' }, regions: [region], requests: 10, concurrency: 1, rate_per_second: 5 } });
    assert.equal(allowed.status, 201, JSON.stringify(allowed.body));
  });
});
