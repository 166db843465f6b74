import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// A monitor whose target never answered (the first-run case: nothing listens on the URL) must not
// read as healthy. Uptime is the share of the *observed* time not down: the minutes before its first
// state are unknown, neither up nor down. Transitions are written as the state evaluator would.

const skip = postgresSkip();
let api: TestApi;

const H = 3_600_000;
const M = 60_000;
const base = Math.floor(Date.now() / (24 * H)) * (24 * H) - 5 * 24 * H;
const t = (ms: number) => new Date(base + ms);
const isoAt = (ms: number) => t(ms).toISOString();
const dayQuery = `from=${encodeURIComponent(isoAt(0))}&to=${encodeURIComponent(isoAt(24 * H))}`;
const ids = {} as Record<'team' | 'service' | 'down' | 'silent' | 'quietTeam' | 'quietService' | 'quiet' | 'sloDown' | 'sloSilent' | 'sloQuietTeam', string>;

let seq = 0;
async function transition(subjectType: 'slot' | 'monitor' | 'service', subjectId: string, region: string | null, to: string, at: number) {
  await api.database.db.insertInto('state_transitions').values({ id: `nu_${String(++seq).padStart(6, '0')}`, org_id: api.orgId, subject_type: subjectType, subject_id: subjectId, region, from_state: 'unknown', to_state: to, at: t(at), cause: null }).execute();
}
const report = async (path: string) => {
  const res = await api.call('GET', path);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
};

before(async () => {
  if (skip) return;
  api = await startTestApi();
  const admin = api.adminToken;
  const db = api.database.db;
  ids.team = (await expectOk(api, 'POST', '/v1/teams', admin, { name: unique('never-up') })).id;
  ids.service = (await expectOk(api, 'POST', '/v1/services', admin, bodies.service(ids.team))).id;
  ids.down = (await expectOk(api, 'POST', '/v1/monitors', admin, { ...bodies.monitor(ids.service), regions: ['local'] })).id;
  ids.silent = (await expectOk(api, 'POST', '/v1/monitors', admin, { ...bodies.monitor(ids.service), regions: ['local'] })).id;
  ids.quietTeam = (await expectOk(api, 'POST', '/v1/teams', admin, { name: unique('never-seen') })).id;
  ids.quietService = (await expectOk(api, 'POST', '/v1/services', admin, bodies.service(ids.quietTeam))).id;
  ids.quiet = (await expectOk(api, 'POST', '/v1/monitors', admin, { ...bodies.monitor(ids.quietService), regions: ['local'] })).id;
  // Everything was created at 10:00 of the day; the first monitor's checks failed from the start
  // and it went down at 10:06 (failure threshold, confirmation), and stayed down. The second never
  // reported anything (no runner), nor did the monitor of the quiet team.
  await db.updateTable('services').set({ created_at: t(10 * H) }).where('id', 'in', [ids.service, ids.quietService]).execute();
  await db.updateTable('monitors').set({ created_at: t(10 * H) }).where('id', 'in', [ids.down, ids.silent, ids.quiet]).execute();
  await transition('slot', ids.down, 'local', 'down', 10 * H + 6 * M);
  await transition('monitor', ids.down, null, 'down', 10 * H + 6 * M);
  await transition('service', ids.service, null, 'down', 10 * H + 6 * M);
  const slo = (body: Record<string, unknown>) => expectOk(api, 'POST', '/v1/slos', admin, { name: unique('slo'), objective: 'uptime', target_percent: 99.9, window: 'rolling_30d', ...body });
  ids.sloDown = (await slo({ team_id: ids.team, monitor_id: ids.down })).id;
  ids.sloSilent = (await slo({ team_id: ids.team, monitor_id: ids.silent })).id;
  ids.sloQuietTeam = (await slo({ team_id: ids.quietTeam })).id;
});
after(async () => api?.close());

test('a monitor down whenever it was observed reads 0 %, with its unknown minutes reported apart', { skip }, async () => {
  const r = await report(`/v1/sla/monitors/${ids.down}?${dayQuery}`);
  assert.equal(r.counted_seconds, 14 * 3600);
  assert.equal(r.unknown_seconds, 360);
  assert.equal(r.observed_seconds, 14 * 3600 - 360);
  assert.equal(r.downtime_seconds, 14 * 3600 - 360);
  assert.equal(r.uptime_percent, 0);
  assert.equal(r.regions[0].region, 'local');
  assert.equal(r.regions[0].uptime_percent, 0);
});

test('a monitor never observed has no uptime (null), not 100 %', { skip }, async () => {
  const r = await report(`/v1/sla/monitors/${ids.silent}?${dayQuery}`);
  assert.equal(r.counted_seconds, 14 * 3600);
  assert.equal(r.observed_seconds, 0);
  assert.equal(r.unknown_seconds, 14 * 3600);
  assert.equal(r.uptime_percent, null);
  assert.equal(r.downtime_seconds, 0);
  assert.equal(r.regions[0].uptime_percent, null);
});

test('the service and the team of a never-up monitor read 0 %; a team never observed reads null', { skip }, async () => {
  const s = await report(`/v1/sla/services/${ids.service}?${dayQuery}`);
  assert.equal(s.uptime_percent, 0);
  assert.equal(s.unknown_seconds, 360);
  const parts = Object.fromEntries(s.parts.map((p: { id: string; uptime_percent: number | null }) => [p.id, p.uptime_percent]));
  assert.deepEqual(parts, { [ids.down]: 0, [ids.silent]: null });
  const local = s.regions.find((x: { region: string }) => x.region === 'local');
  assert.equal(local.uptime_percent, 0, 'observed in the region while any monitor is');
  const team = await report(`/v1/sla/teams/${ids.team}?${dayQuery}`);
  assert.equal(team.uptime_percent, 0);
  assert.equal(team.observed_seconds, 14 * 3600 - 360);
  const quiet = await report(`/v1/sla/teams/${ids.quietTeam}?${dayQuery}`);
  assert.equal(quiet.uptime_percent, null);
  assert.equal(quiet.observed_seconds, 0);
  assert.equal(quiet.unknown_seconds, 14 * 3600);
});

test('SLO status: a never-up monitor has breached its objective; a never-observed subject has no data', { skip }, async () => {
  const down = (await api.call('GET', `/v1/slos/${ids.sloDown}/status`)).body;
  assert.equal(down.attained_percent, 0);
  assert.equal(down.status, 'breached');
  for (const id of [ids.sloSilent, ids.sloQuietTeam]) {
    const s = (await api.call('GET', `/v1/slos/${id}/status`)).body;
    assert.equal(s.attained_percent, null, id);
    assert.equal(s.status, 'no_data', id);
  }
});
