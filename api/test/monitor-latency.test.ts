import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { monotonicFactory } from 'ulid';
import { bucketIndex, latencyBucketCount } from '../src/contract/latency-buckets.ts';
import { percentile } from '../src/modules/sla/sla.math.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// GET /v1/monitors/{id}/latency on PostgreSQL from results pushed over the runner protocol in two
// regions (ingest fills the rollups), and the failures and timing breakdown of
// GET /v1/monitors/{id}/results?status=….

const skip = postgresSkip();
const ulid = monotonicFactory();
let api: TestApi;
const east = unique('east');
const west = unique('west');
const runners: Record<string, SimulatedRunner> = {};
const ids = { team: '', service: '', monitor: '', viewer2: '' };
const durations: Record<string, number[]> = { [east]: [20, 25, 30, 35, 40, 60, 80, 120, 400, 900], [west]: [150, 160, 170, 180, 200, 220, 260, 300] };
const M = 60_000;
const H = 60 * M;

/** p50/p95 as the endpoint computes them from the rollup histogram of these durations. */
function expected(list: number[]) {
  const h = new Array<number>(latencyBucketCount).fill(0);
  for (const d of list) h[bucketIndex(d)]! += 1;
  const max = Math.max(...list);
  return { p50: Math.round(percentile(h, 0.5, max)! * 100) / 100, p95: Math.round(percentile(h, 0.95, max)! * 100) / 100 };
}

async function push(region: string, results: Array<Record<string, unknown>>) {
  const r = runners[region]!;
  const res = await api.call('POST', '/v1/runner/results', { token: r.token, body: { runner_id: r.id, results: results.map((x) => ({ id: `res_${ulid()}`, monitor_id: ids.monitor, region, started_at: new Date().toISOString(), ...x })) } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.accepted.length, results.length, JSON.stringify(res.body));
}

before(async () => {
  if (skip) return;
  api = await startTestApi({ backend: 'postgres' });
  const admin = api.adminToken;
  ids.team = (await expectOk(api, 'POST', '/v1/teams', admin, { name: unique('lat-team') })).id;
  ids.service = (await expectOk(api, 'POST', '/v1/services', admin, bodies.service(ids.team))).id;
  ids.monitor = (await expectOk(api, 'POST', '/v1/monitors', admin, { ...bodies.monitor(ids.service), regions: [east, west], failure_threshold: 1 })).id;
  const team2 = (await expectOk(api, 'POST', '/v1/teams', admin, { name: unique('lat-team2') })).id;
  ids.viewer2 = (await expectOk(api, 'POST', '/v1/tokens', admin, { name: unique('v2'), role: 'viewer', team_id: team2 })).token;
  for (const region of [east, west]) {
    const token = (await expectOk(api, 'POST', '/v1/runner-tokens', admin, { name: unique('rt'), region, labels: {} })).token as string;
    runners[region] = await registerRunner(api, token);
    await pollRunner(api, runners[region]!);
  }
  await api.app.settle();
  for (const region of [east, west]) {
    await push(region, durations[region]!.map((d) => ({
      status: 'up', duration_ms: d, status_code: 200,
      timings: { dns_ms: 1, connect_ms: 2, tls_ms: 3, first_byte_ms: d - 10, download_ms: 4, total_ms: d },
      trace_id: 'a'.repeat(31) + (region === east ? '1' : '2'),
    })));
  }
  await push(east, [{
    status: 'down', duration_ms: 10, error: { code: 'assertion_failed', message: 'status 503, expected 200' }, status_code: 503, trace_id: 'f'.repeat(32),
    assertions: [{ source: 'status_code', operator: 'equals', target: '200', actual: '503', passed: false, severity: 'down' }],
  }]);
});

after(async () => {
  if (!skip) await api.close();
});

const get = (path: string, token = api.adminToken) => api.call('GET', path, { token });

test('24h: per region p50/p95 of the window and of each 5-minute step, from the pushed results', { skip }, async () => {
  const res = await get(`/v1/monitors/${ids.monitor}/latency`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const body = res.body;
  assert.equal(body.window, '24h');
  assert.equal(body.step_seconds, 300);
  assert.equal(body.resolution, 'minute');
  assert.equal(Date.parse(body.to) - Date.parse(body.from), 24 * H);
  assert.deepEqual(body.regions.map((r: { region: string }) => r.region), [east, west].sort());
  const byRegion = new Map(body.regions.map((r: any) => [r.region, r]));
  const e = byRegion.get(east) as any;
  const w = byRegion.get(west) as any;
  // The failure (10 ms) is a check like the others.
  assert.equal(e.count, 11);
  assert.deepEqual({ p50: e.p50, p95: e.p95 }, expected([...durations[east]!, 10]));
  assert.equal(w.count, 8);
  assert.deepEqual({ p50: w.p50, p95: w.p95 }, expected(durations[west]!));
  assert.ok(w.p50 > e.p50, 'the slower region reads slower');
  const points = w.points.reduce((n: number, p: { count: number }) => n + p.count, 0);
  assert.equal(points, 8);
  for (const p of w.points) assert.equal(Date.parse(p.t) % (300 * 1000), 0, 'steps are aligned to 5 minutes');
});

test('steps with older rollups; region filter; 7d reads hour rollups', { skip }, async () => {
  const histogram = new Array<number>(latencyBucketCount).fill(0);
  histogram[bucketIndex(500)] = 3;
  const bucket = new Date(Math.floor((Date.now() - 3 * H) / M) * M);
  await api.database.db.insertInto('result_rollups').values({ org_id: api.orgId, monitor_id: ids.monitor, region: east, resolution: 'minute', bucket_start: bucket, checks: 3, up: 3, degraded: 0, down: 0, sum_ms: 1500, max_ms: 500, histogram }).execute();
  const one = (await get(`/v1/monitors/${ids.monitor}/latency?region=${east}`)).body;
  assert.deepEqual(one.regions.map((r: { region: string }) => r.region), [east]);
  const first = one.regions[0].points[0];
  assert.equal(first.t, new Date(Math.floor(bucket.getTime() / (5 * M)) * 5 * M).toISOString());
  assert.deepEqual(first, { t: first.t, p50: 450, p95: 495, count: 3 });
  const week = (await get(`/v1/monitors/${ids.monitor}/latency?window=7d`)).body;
  assert.equal(week.step_seconds, 3600);
  assert.equal(week.resolution, 'hour');
  assert.equal(week.regions.find((r: { region: string }) => r.region === west).count, 8, 'ingest wrote hour rollups too');
  const span = (await get(`/v1/monitors/${ids.monitor}/latency?from=${encodeURIComponent(new Date(Date.now() - 4 * H).toISOString())}&to=${encodeURIComponent(new Date(Date.now() - 2 * H).toISOString())}`)).body;
  assert.equal(span.step_seconds, 60);
  assert.equal(span.window, undefined);
  assert.deepEqual(span.regions.find((r: { region: string }) => r.region === east).points.map((p: { count: number }) => p.count), [3]);
});

test('bad queries are refused with what to send; another team\'s monitor is not found', { skip }, async () => {
  for (const q of ['window=1y', 'from=yesterday', `to=${encodeURIComponent(new Date().toISOString())}`, 'region=US_EAST', 'step=60']) {
    const res = await get(`/v1/monitors/${ids.monitor}/latency?${q}`);
    assert.equal(res.status, 422, q);
    assert.equal(res.body.code, 'validation_failed', q);
    assert.ok(res.body.errors?.length > 0, q);
  }
  assert.equal((await get(`/v1/monitors/${ids.monitor}/latency`, ids.viewer2)).status, 404);
  assert.equal((await get('/v1/monitors/mon_missing/latency')).status, 404);
});

test('results: status filter lists the failures with error, assertions and trace id; timings are in every result', { skip }, async () => {
  const failures = (await get(`/v1/monitors/${ids.monitor}/results?status=down,degraded`)).body.items;
  assert.equal(failures.length, 1);
  assert.equal(failures[0].error.code, 'assertion_failed');
  assert.equal(failures[0].trace_id, 'f'.repeat(32));
  assert.equal(failures[0].assertions[0].actual, '503');
  const ups = (await get(`/v1/monitors/${ids.monitor}/results?status=up&region=${west}&limit=3`)).body;
  assert.equal(ups.items.length, 3);
  assert.ok(ups.next_cursor);
  assert.deepEqual(Object.keys(ups.items[0].timings).sort(), ['connect_ms', 'dns_ms', 'download_ms', 'first_byte_ms', 'tls_ms', 'total_ms']);
  const bad = await get(`/v1/monitors/${ids.monitor}/results?status=failed`);
  assert.equal(bad.status, 422);
  assert.match(JSON.stringify(bad.body.errors), /down,degraded/);
});
