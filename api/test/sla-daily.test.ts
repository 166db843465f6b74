import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SlaService } from '../src/modules/sla/sla.service.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// Daily uptime on a real Postgres: state transitions written as the evaluator writes them, read
// through GET /v1/sla/{monitors,services}/{id}/daily and SlaService.dailyForServices, and compared
// with the SLA report of the same day.

const skip = postgresSkip();
let api: TestApi;

const H = 3_600_000;
const M = 60_000;
const D = 24 * H;
const today = Math.floor(Date.now() / D) * D;
// Five days ago at 00:00 UTC: the outage runs from its 22:00 to 02:00 of the next day.
const base = today - 5 * D;
const t = (ms: number) => new Date(base + ms);
const date = (ms: number) => t(ms).toISOString().slice(0, 10);
/** A time relative to today's 00:00 UTC. */
const t0 = (ms: number) => new Date(today + ms);

let seq = 0;
const ids = { team: '', service: '', quiet: '', monitor: '', team2: '', service2: '', viewer2: '' };

async function transition(subjectType: 'slot' | 'monitor' | 'service', subjectId: string, region: string | null, from: string, to: string, at: number) {
  await api.database.db.insertInto('state_transitions').values({ id: `trd_${String(++seq).padStart(6, '0')}`, org_id: api.orgId, subject_type: subjectType, subject_id: subjectId, region, from_state: from, to_state: to, at: t(at), cause: null }).execute();
}

const get = async (path: string, token = api.adminToken) => api.call('GET', path, { token });
const daily = async (path: string) => {
  const res = await get(path);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.days as Array<{ date: string; uptime_ratio: number | null; downtime_seconds: number; observed_seconds: number; maintenance_seconds: number; worst_state: string }>;
};

before(async () => {
  if (skip) return;
  api = await startTestApi();
  const admin = api.adminToken;
  ids.team = (await expectOk(api, 'POST', '/v1/teams', admin, { name: unique('daily-team') })).id;
  ids.service = (await expectOk(api, 'POST', '/v1/services', admin, bodies.service(ids.team))).id;
  ids.quiet = (await expectOk(api, 'POST', '/v1/services', admin, bodies.service(ids.team))).id;
  ids.monitor = (await expectOk(api, 'POST', '/v1/monitors', admin, bodies.monitor(ids.service))).id;
  ids.team2 = (await expectOk(api, 'POST', '/v1/teams', admin, { name: unique('daily-team2') })).id;
  ids.service2 = (await expectOk(api, 'POST', '/v1/services', admin, bodies.service(ids.team2))).id;
  ids.viewer2 = (await expectOk(api, 'POST', '/v1/tokens', admin, { name: unique('viewer2'), role: 'viewer', team_id: ids.team2 })).token;
  const longAgo = t(-200 * D);
  await api.database.db.updateTable('services').set({ created_at: longAgo }).where('id', 'in', [ids.service, ids.quiet, ids.service2]).execute();
  await api.database.db.updateTable('monitors').set({ created_at: longAgo }).where('id', '=', ids.monitor).execute();

  // Service and monitor up since the day before; down 22:00 → 02:00 across midnight; on day 2 down
  // 01:00–04:00, of which 02:00–04:00 is a maintenance window of the service.
  for (const [type, id] of [['service', ids.service], ['monitor', ids.monitor]] as const) {
    await transition(type, id, null, 'unknown', 'up', -D);
    await transition(type, id, null, 'up', 'down', 22 * H);
    await transition(type, id, null, 'down', 'up', 26 * H);
    await transition(type, id, null, 'up', 'down', 2 * D + H);
    await transition(type, id, null, 'down', 'up', 2 * D + 4 * H);
  }
  // The quiet service had no state until day 3 (no data), then it was up.
  await transition('service', ids.quiet, null, 'unknown', 'up', 3 * D + 12 * H);
  await transition('service', ids.service2, null, 'unknown', 'up', -D);
  await expectOk(api, 'POST', '/v1/maintenance-windows', admin, {
    name: unique('upgrade'), team_id: ids.team, starts_at: t(2 * D + 2 * H).toISOString(), ends_at: t(2 * D + 4 * H).toISOString(), service_ids: [ids.service],
  });
});

after(async () => {
  if (!skip) await api.close();
});

test('service days: oldest first ending today, an outage across midnight split, maintenance left out', { skip }, async () => {
  const days = await daily(`/v1/sla/services/${ids.service}/daily?days=8`);
  assert.equal(days.length, 8);
  assert.equal(days[7]!.date, new Date(today).toISOString().slice(0, 10), 'the last day is today');
  assert.deepEqual(days.map((d) => d.date), Array.from({ length: 8 }, (_, i) => date((i - 2) * D)));
  const [before, first, second, third] = [days[1]!, days[2]!, days[3]!, days[4]!];
  assert.equal(before.date, date(-D));
  assert.equal(before.uptime_ratio, 1);
  assert.deepEqual(days[0], { date: date(-2 * D), uptime_ratio: null, downtime_seconds: 0, observed_seconds: 0, maintenance_seconds: 0, worst_state: 'unknown' }, 'before any transition the state is unknown');
  assert.deepEqual(first, { date: date(0), uptime_ratio: 0.916667, downtime_seconds: 7200, observed_seconds: 86400, maintenance_seconds: 0, worst_state: 'down' });
  assert.deepEqual(second, { date: date(D), uptime_ratio: 0.916667, downtime_seconds: 7200, observed_seconds: 86400, maintenance_seconds: 0, worst_state: 'down' });
  assert.deepEqual(third, { date: date(2 * D), uptime_ratio: Math.round((21 / 22) * 1e6) / 1e6, downtime_seconds: 3600, observed_seconds: 79200, maintenance_seconds: 7200, worst_state: 'down' });
  const now = days[7]!;
  assert.equal(now.worst_state, 'up');
  assert.equal(now.uptime_ratio, 1);
  assert.ok(now.observed_seconds > 0 && now.observed_seconds <= 86400);
});

test('a day matches the SLA report of that day', { skip }, async () => {
  const days = await daily(`/v1/sla/services/${ids.service}/daily?days=8`);
  for (const [index, start] of [[2, 0], [4, 2 * D]] as const) {
    const q = `from=${encodeURIComponent(t(start).toISOString())}&to=${encodeURIComponent(t(start + D).toISOString())}`;
    const r = (await get(`/v1/sla/services/${ids.service}?${q}`)).body;
    assert.equal(days[index]!.downtime_seconds, r.downtime_seconds);
    assert.equal(days[index]!.observed_seconds, r.observed_seconds);
    assert.equal(days[index]!.maintenance_seconds, r.excluded_seconds);
    assert.equal(Math.round(days[index]!.uptime_ratio! * 1e6) / 1e4, r.uptime_percent);
  }
});

test('monitor days come from the monitor state; a window naming its service covers it, as in the report', { skip }, async () => {
  const days = await daily(`/v1/sla/monitors/${ids.monitor}/daily?days=8`);
  assert.equal(days[2]!.downtime_seconds, 7200);
  assert.equal(days[3]!.downtime_seconds, 7200);
  assert.deepEqual(days[4], { date: date(2 * D), uptime_ratio: 0.954545, downtime_seconds: 3600, observed_seconds: 79200, maintenance_seconds: 7200, worst_state: 'down' });
  const q = `from=${encodeURIComponent(t(2 * D).toISOString())}&to=${encodeURIComponent(t(3 * D).toISOString())}`;
  const r = (await get(`/v1/sla/monitors/${ids.monitor}?${q}`)).body;
  assert.equal(r.downtime_seconds, 3600);
  assert.equal(r.excluded_seconds, 7200);
});

test('days defaults to 90; a day without data has no uptime', { skip }, async () => {
  const days = await daily(`/v1/sla/services/${ids.quiet}/daily`);
  assert.equal(days.length, 90);
  assert.equal(days[89]!.date, new Date(today).toISOString().slice(0, 10));
  assert.deepEqual(days[86], { date: date(2 * D), uptime_ratio: null, downtime_seconds: 0, observed_seconds: 0, maintenance_seconds: 0, worst_state: 'unknown' });
  assert.deepEqual(days[87], { date: date(3 * D), uptime_ratio: 1, downtime_seconds: 0, observed_seconds: 43200, maintenance_seconds: 0, worst_state: 'up' });
});

test('bad days are refused with what to send', { skip }, async () => {
  for (const bad of ['0', '366', 'many', '2.5']) {
    const res = await get(`/v1/sla/services/${ids.service}/daily?days=${bad}`);
    assert.equal(res.status, 422, bad);
    assert.equal(res.body.code, 'validation_failed');
    assert.match(JSON.stringify(res.body.errors), /days/);
  }
  const extra = await get(`/v1/sla/services/${ids.service}/daily?window=7d`);
  assert.equal(extra.status, 422);
  assert.equal((await get(`/v1/sla/services/${ids.service}/daily?days=365`)).body.days.length, 365);
});

test('another team\'s service or monitor is not found', { skip }, async () => {
  assert.equal((await get(`/v1/sla/services/${ids.service}/daily`, ids.viewer2)).status, 404);
  assert.equal((await get(`/v1/sla/monitors/${ids.monitor}/daily`, ids.viewer2)).status, 404);
  assert.equal((await get(`/v1/sla/services/${ids.service2}/daily`, ids.viewer2)).status, 200);
  assert.equal((await get('/v1/sla/services/svc_missing/daily')).status, 404);
});

test('dailyForServices: every service of the organization at once, the same days as the endpoint', { skip }, async () => {
  const sla = new SlaService(api.database.db);
  const map = await sla.dailyForServices(api.orgId, [ids.service, ids.quiet, ids.service2, ids.service, 'svc_missing'], 8);
  assert.deepEqual([...map.keys()].sort(), [ids.service, ids.quiet, ids.service2].sort());
  const endpoint = await daily(`/v1/sla/services/${ids.service}/daily?days=8`);
  // Today's last entry moves with the clock; the whole days are identical.
  assert.deepEqual(map.get(ids.service)!.slice(0, 7), endpoint.slice(0, 7));
  assert.equal(map.get(ids.service2)!.length, 8);
  const other = await sla.dailyForServices('org_other', [ids.service], 7);
  assert.equal(other.size, 0, 'another organization sees none of them');
  const fixed = await sla.dailyForServices(api.orgId, [ids.service], 3, t(2 * D + 12 * H));
  assert.deepEqual(fixed.get(ids.service)!.map((d) => d.date), [date(0), date(D), date(2 * D)]);
  assert.equal(fixed.get(ids.service)!.at(-1)!.observed_seconds, 10 * 3600, 'the last day ends at now: 12 h minus 2 h of maintenance');
});

test('dailyForServices answers 300 services × 90 days in one go', { skip, timeout: 120_000 }, async (t) => {
  const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('daily-fleet') })).id;
  const services: string[] = [];
  for (let batch = 0; batch < 30; batch++) {
    services.push(...(await Promise.all(Array.from({ length: 10 }, async () => (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id))));
  }
  await api.database.db.updateTable('services').set({ created_at: t0(-200 * D) }).where('id', 'in', services).execute();
  // Each service: up since 100 days ago, one 10-minute outage on each of the 30 days before today.
  const rows = services.flatMap((id) => [
    { id: `trd_${String(++seq).padStart(6, '0')}`, org_id: api.orgId, subject_type: 'service' as const, subject_id: id, region: null, from_state: 'unknown', to_state: 'up', at: t0(-100 * D), cause: null },
    ...Array.from({ length: 30 }, (_, day) => [
      { id: `trd_${String(++seq).padStart(6, '0')}`, org_id: api.orgId, subject_type: 'service' as const, subject_id: id, region: null, from_state: 'up', to_state: 'down', at: t0(-(day + 1) * D + 3 * H), cause: null },
      { id: `trd_${String(++seq).padStart(6, '0')}`, org_id: api.orgId, subject_type: 'service' as const, subject_id: id, region: null, from_state: 'down', to_state: 'up', at: t0(-(day + 1) * D + 3 * H + 10 * M), cause: null },
    ]).flat(),
  ]);
  for (let i = 0; i < rows.length; i += 1000) await api.database.db.insertInto('state_transitions').values(rows.slice(i, i + 1000)).execute();
  const sla = new SlaService(api.database.db);
  const started = performance.now();
  const map = await sla.dailyForServices(api.orgId, services, 90);
  const elapsed = performance.now() - started;
  t.diagnostic(`dailyForServices: ${services.length} services × 90 days (${rows.length} transitions) in ${elapsed.toFixed(0)} ms`);
  assert.equal(map.size, 300);
  const one = map.get(services[0]!)!;
  assert.equal(one.length, 90);
  assert.equal(one.filter((d) => d.downtime_seconds === 600).length, 30, 'one 10-minute outage on each of the 30 days before today');
  assert.equal(one.filter((d) => d.downtime_seconds > 0).length, 30);
  assert.equal(one[58]!.downtime_seconds, 0, '31 days ago');
  assert.equal(one[59]!.downtime_seconds, 600, '30 days ago');
  assert.equal(one[89]!.downtime_seconds, 0, 'today');
  assert.ok(elapsed < 20_000, `${elapsed} ms`);
});
