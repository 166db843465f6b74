import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { latencyBucketCount } from '../src/contract/latency-buckets.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// SLA figures end to end on a real Postgres: transitions and rollups are written directly (as ingest
// and the state evaluator would), the figures are read through the API and compared exactly.

const skip = postgresSkip();
let api: TestApi;

const H = 3_600_000;
const M = 60_000;
// A whole past UTC day, so the windows are fixed whatever the time of the run.
const base = Math.floor(Date.now() / (24 * H)) * (24 * H) - 5 * 24 * H;
const t = (ms: number) => new Date(base + ms);
const isoAt = (ms: number) => t(ms).toISOString();
const dayQuery = `from=${encodeURIComponent(isoAt(0))}&to=${encodeURIComponent(isoAt(24 * H))}`;

let seq = 0;
interface Ids { team: string; service: string; emptyService: string; m1: string; m2: string; team2: string; service2: string; m3: string; viewer: string }
const ids = {} as Ids;

async function transition(subjectType: 'slot' | 'monitor' | 'service', subjectId: string, region: string | null, from: string, to: string, at: number) {
  await api.database.db.insertInto('state_transitions').values({ id: `tr_${String(++seq).padStart(6, '0')}`, org_id: api.orgId, subject_type: subjectType, subject_id: subjectId, region, from_state: from, to_state: to, at: t(at), cause: null }).execute();
}

/** down from `start` to `end` (ms after base) for the slot, and optionally the monitor and service. */
async function outage(subjects: Array<['slot' | 'monitor' | 'service', string, string | null]>, start: number, end: number) {
  for (const [type, id, region] of subjects) {
    await transition(type, id, region, 'up', 'down', start);
    await transition(type, id, region, 'down', 'up', end);
  }
}

const histogram = (entries: Record<number, number>) => Array.from({ length: latencyBucketCount }, (_, i) => entries[i] ?? 0);

async function rollup(monitorId: string, region: string, resolution: 'minute' | 'hour', at: number, r: { checks: number; up: number; degraded?: number; down?: number; sum_ms: number; max_ms: number; histogram: number[] }) {
  await api.database.db.insertInto('result_rollups').values({ org_id: api.orgId, monitor_id: monitorId, region, resolution, bucket_start: t(at), degraded: 0, down: 0, ...r }).execute();
}

const get = (path: string, token?: string) => api.call('GET', path, token === undefined ? {} : { token });
const report = async (path: string) => {
  const res = await get(path);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
};

before(async () => {
  if (skip) return;
  api = await startTestApi();
  const admin = api.adminToken;
  const db = api.database.db;
  ids.team = (await expectOk(api, 'POST', '/v1/teams', admin, { name: unique('sla-team') })).id;
  ids.service = (await expectOk(api, 'POST', '/v1/services', admin, bodies.service(ids.team))).id;
  ids.emptyService = (await expectOk(api, 'POST', '/v1/services', admin, bodies.service(ids.team))).id;
  ids.m1 = (await expectOk(api, 'POST', '/v1/monitors', admin, { ...bodies.monitor(ids.service), regions: ['us-east-1', 'us-west-2'] })).id;
  ids.m2 = (await expectOk(api, 'POST', '/v1/monitors', admin, { ...bodies.monitor(ids.service), regions: ['us-east-1'] })).id;
  ids.team2 = (await expectOk(api, 'POST', '/v1/teams', admin, { name: unique('sla-team2') })).id;
  ids.service2 = (await expectOk(api, 'POST', '/v1/services', admin, bodies.service(ids.team2))).id;
  ids.m3 = (await expectOk(api, 'POST', '/v1/monitors', admin, { ...bodies.monitor(ids.service2), regions: ['us-east-1'] })).id;
  ids.viewer = (await expectOk(api, 'POST', '/v1/tokens', admin, { name: unique('viewer'), role: 'viewer', team_id: ids.team })).token;

  // Everything existed long before the window, except m2, created 11 hours into the day.
  const longAgo = t(-40 * 24 * H);
  await db.updateTable('services').set({ created_at: longAgo }).where('id', 'in', [ids.service, ids.emptyService, ids.service2]).execute();
  await db.updateTable('monitors').set({ created_at: longAgo }).where('id', 'in', [ids.m1, ids.m3]).execute();
  await db.updateTable('monitors').set({ created_at: t(11 * H) }).where('id', '=', ids.m2).execute();

  // m1: up since the day before; down 02:00–02:30 (overall and in us-east-1); us-west-2 was already
  // down at the start of the day and recovered at 01:00.
  await transition('monitor', ids.m1, null, 'unknown', 'up', -H);
  await transition('slot', ids.m1, 'us-east-1', 'unknown', 'up', -H);
  await transition('slot', ids.m1, 'us-west-2', 'up', 'down', -2 * H);
  await transition('slot', ids.m1, 'us-west-2', 'down', 'up', H);
  await outage([['monitor', ids.m1, null], ['slot', ids.m1, 'us-east-1']], 2 * H, 2 * H + 30 * M);
  // m2: up from its creation at 11:00, down 12:00–13:00; the service (up since the day before) is
  // down whenever one of its monitors is. Uptime is over observed time, so each subject's first
  // state is written as ingest would.
  await transition('monitor', ids.m2, null, 'unknown', 'up', 11 * H);
  await transition('slot', ids.m2, 'us-east-1', 'unknown', 'up', 11 * H);
  await transition('service', ids.service, null, 'unknown', 'up', -H);
  await outage([['monitor', ids.m2, null], ['slot', ids.m2, 'us-east-1']], 12 * H, 13 * H);
  await outage([['service', ids.service, null]], 2 * H, 2 * H + 30 * M);
  await outage([['service', ids.service, null]], 12 * H, 13 * H);
  // Transitions after the window do not count.
  await outage([['monitor', ids.m1, null]], 30 * H, 31 * H);

  // Latency of m1: us-east-1 10 minutes × 10 checks (9 in 10–20 ms, 1 in 75–100 ms),
  // us-west-2 5 minutes × 4 checks in 5–10 ms. Rollups outside the window and hour rollups are
  // not read for a one-day window.
  for (let i = 0; i < 10; i++) await rollup(ids.m1, 'us-east-1', 'minute', 5 * H + i * M, { checks: 10, up: 9, down: 1, sum_ms: 225, max_ms: 95, histogram: histogram({ 4: 9, 8: 1 }) });
  for (let i = 0; i < 5; i++) await rollup(ids.m1, 'us-west-2', 'minute', 6 * H + i * M, { checks: 4, up: 3, degraded: 1, sum_ms: 32, max_ms: 9, histogram: histogram({ 3: 4 }) });
  await rollup(ids.m1, 'us-east-1', 'minute', -M, { checks: 1000, up: 1000, sum_ms: 1000, max_ms: 1, histogram: histogram({ 0: 1000 }) });
  await rollup(ids.m1, 'us-east-1', 'hour', 5 * H, { checks: 7, up: 7, sum_ms: 70, max_ms: 10, histogram: histogram({ 3: 7 }) });

  // m3 (team 2): up since the day before, down 02:00–02:30; rollups at 05:30 (inside a recurring maintenance) and 07:00.
  for (const [type, id, region] of [['monitor', ids.m3, null], ['slot', ids.m3, 'us-east-1'], ['service', ids.service2, null]] as const) await transition(type, id, region, 'unknown', 'up', -H);
  await outage([['monitor', ids.m3, null], ['slot', ids.m3, 'us-east-1'], ['service', ids.service2, null]], 2 * H, 2 * H + 30 * M);
  await rollup(ids.m3, 'us-east-1', 'minute', 5 * H + 30 * M, { checks: 50, up: 50, sum_ms: 500, max_ms: 10, histogram: histogram({ 3: 50 }) });
  await rollup(ids.m3, 'us-east-1', 'minute', 7 * H, { checks: 2, up: 2, sum_ms: 30, max_ms: 20, histogram: histogram({ 4: 2 }) });
});
after(async () => api?.close());

test('a monitor: 30 minutes down in a day is 97.9167 % with one outage of 1800 s', { skip }, async () => {
  const r = await report(`/v1/sla/monitors/${ids.m1}?${dayQuery}`);
  assert.deepEqual(r.subject, { type: 'monitor', id: ids.m1, name: r.subject.name });
  assert.deepEqual(r.window, { from: isoAt(0), to: isoAt(24 * H), seconds: 86400 });
  assert.equal(r.counted_seconds, 86400);
  assert.equal(r.excluded_seconds, 0);
  assert.deepEqual(r.excluded_windows, []);
  assert.equal(r.uptime_percent, 97.9167);
  assert.equal(r.downtime_seconds, 1800);
  assert.equal(r.outages, 1);
  assert.equal(r.longest_outage_seconds, 1800);
  // 120 checks: 20 in 5–10 ms, 90 in 10–20 ms, 10 in 75–100 ms (max 95 ms).
  assert.deepEqual(r.checks, { total: 120, up: 105, degraded: 5, down: 10 });
  assert.deepEqual(r.latency_ms, { p50: 14.44, p95: 85, p99: 95, mean: 20.08 });
  assert.equal(r.parts, undefined);
});

test('a monitor per region: slot transitions and the region\'s rollups', { skip }, async () => {
  const r = await report(`/v1/sla/monitors/${ids.m1}?${dayQuery}`);
  assert.deepEqual(r.regions.map((x: { region: string }) => x.region), ['us-east-1', 'us-west-2']);
  const [east, west] = r.regions;
  assert.deepEqual(
    { uptime: east.uptime_percent, down: east.downtime_seconds, outages: east.outages, longest: east.longest_outage_seconds, checks: east.checks, latency: east.latency_ms },
    { uptime: 97.9167, down: 1800, outages: 1, longest: 1800, checks: { total: 100, up: 90, degraded: 0, down: 10 }, latency: { p50: 15.56, p95: 87.5, p99: 95, mean: 22.5 } },
  );
  // us-west-2 was down when the day began: the outage counts from the start of the window.
  assert.deepEqual(
    { uptime: west.uptime_percent, down: west.downtime_seconds, outages: west.outages, longest: west.longest_outage_seconds, checks: west.checks, latency: west.latency_ms },
    { uptime: 95.8333, down: 3600, outages: 1, longest: 3600, checks: { total: 20, up: 15, degraded: 5, down: 0 }, latency: { p50: 7.5, p95: 9, p99: 9, mean: 8 } },
  );
});

test('a monitor created inside the window counts only from its creation', { skip }, async () => {
  const r = await report(`/v1/sla/monitors/${ids.m2}?${dayQuery}`);
  assert.equal(r.counted_seconds, 13 * 3600);
  assert.equal(r.downtime_seconds, 3600);
  assert.equal(r.uptime_percent, 92.3077);
  assert.deepEqual(r.checks, { total: 0, up: 0, degraded: 0, down: 0 });
  assert.deepEqual(r.latency_ms, { p50: null, p95: null, p99: null, mean: null });
});

test('an outage still open at the end of the window counts until the end', { skip }, async () => {
  const r = await report(`/v1/sla/monitors/${ids.m1}?from=${encodeURIComponent(isoAt(0))}&to=${encodeURIComponent(isoAt(2 * H + 10 * M))}`);
  assert.equal(r.downtime_seconds, 600);
  assert.equal(r.outages, 1);
  assert.equal(r.window.seconds, 2 * 3600 + 600);
});

test('a service: its own transitions, per region the worst of its monitors, and its monitors as parts', { skip }, async () => {
  const r = await report(`/v1/sla/services/${ids.service}?${dayQuery}`);
  assert.equal(r.subject.type, 'service');
  assert.equal(r.downtime_seconds, 5400);
  assert.equal(r.outages, 2);
  assert.equal(r.longest_outage_seconds, 3600);
  assert.equal(r.uptime_percent, 93.75);
  assert.equal(r.checks.total, 120);
  assert.equal(r.latency_ms.p95, 85);
  const east = r.regions.find((x: { region: string }) => x.region === 'us-east-1');
  const west = r.regions.find((x: { region: string }) => x.region === 'us-west-2');
  assert.deepEqual([east.downtime_seconds, east.outages, east.longest_outage_seconds, east.checks.total], [5400, 2, 3600, 100]);
  assert.deepEqual([west.downtime_seconds, west.outages, west.checks.total], [3600, 1, 20]);
  assert.deepEqual(r.parts.map((p: { type: string; id: string; downtime_seconds: number; uptime_percent: number }) => [p.type, p.id, p.downtime_seconds, p.uptime_percent]).sort(), [['monitor', ids.m1, 1800, 97.9167], ['monitor', ids.m2, 3600, 92.3077]].sort());
});

test('a team: mean of its services\' uptime, summed outages, latency over all its monitors', { skip }, async () => {
  const r = await report(`/v1/sla/teams/${ids.team}?${dayQuery}`);
  assert.equal(r.subject.type, 'team');
  // The service without monitors was never observed: it has no uptime and is left out of the mean
  // (it used to read 100 %, as if time without data were uptime).
  assert.equal(r.uptime_percent, 93.75);
  assert.equal(r.observed_seconds, 86400);
  assert.equal(r.unknown_seconds, 0);
  assert.equal(r.downtime_seconds, 5400);
  assert.equal(r.outages, 2);
  assert.equal(r.longest_outage_seconds, 3600);
  assert.equal(r.checks.total, 120);
  assert.deepEqual(r.latency_ms, { p50: 14.44, p95: 85, p99: 95, mean: 20.08 });
  assert.equal(r.counted_seconds, 86400);
  assert.deepEqual(r.parts.map((p: { type: string; id: string; uptime_percent: number }) => [p.type, p.id, p.uptime_percent]).sort(), [['service', ids.service, 93.75], ['service', ids.emptyService, null]].sort());
  const east = r.regions.find((x: { region: string }) => x.region === 'us-east-1');
  assert.equal(east.uptime_percent, 93.75, 'only the service with monitors in the region takes part');
  assert.equal(east.checks.total, 100);
});

test('maintenance excluded from SLA leaves both counted time and downtime', { skip }, async () => {
  const window = await expectOk(api, 'POST', '/v1/maintenance-windows', api.adminToken, {
    name: unique('deploy'), team_id: ids.team2, starts_at: isoAt(2 * H + 20 * M), ends_at: isoAt(2 * H + 30 * M), monitor_ids: [ids.m3],
  });
  const r = await report(`/v1/sla/monitors/${ids.m3}?${dayQuery}`);
  assert.equal(r.excluded_seconds, 600);
  assert.deepEqual(r.excluded_windows, [{ id: window.id, name: window.name, seconds: 600 }]);
  assert.equal(r.counted_seconds, 86400 - 600);
  assert.equal(r.downtime_seconds, 1200);
  assert.equal(r.outages, 1);
  assert.equal(r.longest_outage_seconds, 1200);
  assert.equal(r.uptime_percent, 98.6014);
  // A window naming only the monitor leaves its service's figures alone.
  const s = await report(`/v1/sla/services/${ids.service2}?${dayQuery}`);
  assert.equal(s.excluded_seconds, 0);
  assert.equal(s.downtime_seconds, 1800);
});

test('recurring maintenance is expanded from its cron and leaves its rollups out too', { skip }, async () => {
  const window = await expectOk(api, 'POST', '/v1/maintenance-windows', api.adminToken, {
    name: unique('nightly'), team_id: ids.team2, starts_at: isoAt(-24 * H), ends_at: isoAt(48 * H), service_ids: [ids.service2],
    recurrence: { cron: '0 5 * * *', duration: '1h' },
  });
  const ignored = await expectOk(api, 'POST', '/v1/maintenance-windows', api.adminToken, {
    name: unique('counted'), team_id: ids.team2, starts_at: isoAt(9 * H), ends_at: isoAt(10 * H), exclude_from_sla: false,
  });
  const s = await report(`/v1/sla/services/${ids.service2}?${dayQuery}`);
  assert.equal(s.excluded_seconds, 3600);
  assert.deepEqual(s.excluded_windows.map((w: { id: string }) => w.id), [window.id]);
  assert.ok(!s.excluded_windows.some((w: { id: string }) => w.id === ignored.id));
  assert.equal(s.counted_seconds, 86400 - 3600);
  // The 05:30 rollup (50 checks) is inside the maintenance; the 07:00 one counts.
  assert.deepEqual(s.checks, { total: 2, up: 2, degraded: 0, down: 0 });
  assert.equal(s.latency_ms.mean, 15);
  const m = await report(`/v1/sla/monitors/${ids.m3}?${dayQuery}`);
  assert.equal(m.excluded_seconds, 4200);
  assert.equal(m.excluded_windows.length, 2);
  const team = await report(`/v1/sla/teams/${ids.team2}?${dayQuery}`);
  assert.equal(team.excluded_seconds, 3600);
});

test('the default window is the last 30 days, answered from hour rollups', { skip }, async () => {
  const r = await report(`/v1/sla/monitors/${ids.m1}`);
  assert.equal(r.window.label, '30d');
  assert.equal(r.window.seconds, 30 * 86400);
  assert.deepEqual(r.checks, { total: 7, up: 7, degraded: 0, down: 0 });
  const week = await report(`/v1/sla/monitors/${ids.m1}?window=7d`);
  assert.equal(week.window.label, '7d');
  // The outage after the fixed day is inside the rolling week.
  assert.equal(week.outages, 2);
  assert.equal(week.downtime_seconds, 1800 + 3600);
});

test('another team\'s subjects answer 404; the own team\'s answer 200', { skip }, async () => {
  for (const path of [`/v1/sla/monitors/${ids.m3}`, `/v1/sla/services/${ids.service2}`, `/v1/sla/teams/${ids.team2}`, '/v1/sla/monitors/monitor_01JD0000000000000000000000']) {
    const res = await get(path, ids.viewer);
    assert.equal(res.status, 404, path);
    assert.equal(res.body.code, 'not_found');
  }
  for (const path of [`/v1/sla/monitors/${ids.m1}`, `/v1/sla/services/${ids.service}`, `/v1/sla/teams/${ids.team}`]) assert.equal((await get(path, ids.viewer)).status, 200, path);
});

test('bad windows answer 422 with a pointer to the field', { skip }, async () => {
  const cases: Array<[string, string]> = [
    [`from=${encodeURIComponent(isoAt(H))}&to=${encodeURIComponent(isoAt(0))}`, '/to'],
    [`from=yesterday&to=${encodeURIComponent(isoAt(0))}`, '/from'],
    [`from=${encodeURIComponent(isoAt(-500 * 24 * H))}&to=${encodeURIComponent(isoAt(0))}`, '/from'],
    [`to=${encodeURIComponent(isoAt(0))}`, '/from'],
    ['window=1y', '/window'],
  ];
  for (const [query, pointer] of cases) {
    const res = await get(`/v1/sla/monitors/${ids.m1}?${query}`);
    assert.equal(res.status, 422, query);
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(res.body.code, 'validation_failed');
    assert.deepEqual(res.body.errors.map((e: { pointer: string }) => e.pointer), [pointer], query);
  }
});

test('the embedded database (PGlite) answers the same figures', async () => {
  const lite = await startTestApi({ backend: 'pglite' });
  try {
    const admin = lite.adminToken;
    const team = (await expectOk(lite, 'POST', '/v1/teams', admin, { name: unique('lite') })).id;
    const service = (await expectOk(lite, 'POST', '/v1/services', admin, bodies.service(team))).id;
    const monitor = (await expectOk(lite, 'POST', '/v1/monitors', admin, { ...bodies.monitor(service), regions: ['eu-west-1'] })).id;
    await lite.database.db.updateTable('monitors').set({ created_at: t(-H) }).where('id', '=', monitor).execute();
    await lite.database.db.updateTable('services').set({ created_at: t(-H) }).where('id', '=', service).execute();
    for (const [i, [type, region, to, at]] of ([['monitor', null, 'up', -H], ['slot', 'eu-west-1', 'up', -H], ['monitor', null, 'down', 2 * H], ['monitor', null, 'up', 2 * H + 30 * M], ['slot', 'eu-west-1', 'down', 2 * H], ['slot', 'eu-west-1', 'up', 2 * H + 30 * M]] as const).entries()) {
      await lite.database.db.insertInto('state_transitions').values({ id: `lite_${i}`, org_id: lite.orgId, subject_type: type, subject_id: monitor, region, from_state: to === 'down' ? 'up' : 'unknown', to_state: to, at: t(at), cause: null }).execute();
    }
    for (const at of [3 * H, 2 * H + 25 * M]) {
      await lite.database.db.insertInto('result_rollups').values({ org_id: lite.orgId, monitor_id: monitor, region: 'eu-west-1', resolution: 'minute', bucket_start: t(at), checks: 10, up: 10, degraded: 0, down: 0, sum_ms: 100, max_ms: 10, histogram: histogram({ 3: 10 }) }).execute();
    }
    await expectOk(lite, 'POST', '/v1/maintenance-windows', admin, { name: unique('mw'), team_id: team, starts_at: isoAt(2 * H + 20 * M), ends_at: isoAt(2 * H + 30 * M) });
    const res = await lite.call('GET', `/v1/sla/monitors/${monitor}?${dayQuery}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const r = res.body;
    assert.deepEqual([r.excluded_seconds, r.downtime_seconds, r.outages, r.uptime_percent], [600, 1200, 1, 98.6014]);
    assert.deepEqual(r.checks, { total: 10, up: 10, degraded: 0, down: 0 });
    assert.deepEqual(r.latency_ms, { p50: 7.5, p95: 9.75, p99: 9.95, mean: 10 });
    assert.equal(r.regions[0].downtime_seconds, 1200);
  } finally {
    await lite.close();
  }
});
