import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '../src/shared/ids.ts';
import { postgresSkip, startTestApi, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// Incident figures of the SLA reports (GET /v1/sla/services/{id}, /v1/sla/teams/{id}): incidents
// written directly as the correlator would, with known times, counted over the report window.

const skip = postgresSkip();
let api: TestApi;
const ids = {} as Record<'teamA' | 'teamB' | 'sa' | 'sb' | 'quiet', string>;

const H = 3_600_000;
const M = 60_000;
// A whole past UTC day, so the window is fixed whatever the time of the run.
const base = Math.floor(Date.now() / (24 * H)) * (24 * H) - 3 * 24 * H;
const t = (ms: number) => new Date(base + ms);
const day = `from=${encodeURIComponent(t(0).toISOString())}&to=${encodeURIComponent(t(24 * H).toISOString())}`;

let number = 0;
async function incident(f: { teamIds: string[]; serviceIds: string[]; openedAt: number; firstFailureAt?: number; ackAfter?: number; resolveAfter?: number }) {
  const first = f.firstFailureAt ?? f.openedAt;
  await api.database.db.insertInto('incidents').values({
    id: newId('incident'), org_id: api.orgId, number: ++number, title: `incident ${number}`, state: f.resolveAfter === undefined ? 'investigating' : 'resolved', severity: 'error', team_id: f.teamIds[0]!,
    candidates: '[]', impacted: '[]', evidence: '[]', service_ids: f.serviceIds, team_ids: f.teamIds,
    opened_at: t(f.openedAt), first_failure_at: t(first), last_alert_at: t(f.openedAt),
    acknowledged_at: f.ackAfter === undefined ? null : t(f.openedAt + f.ackAfter),
    resolved_at: f.resolveAfter === undefined ? null : t(first + f.resolveAfter),
    auto_resolve: false, updated_at: t(f.openedAt),
  }).execute();
}

const report = async (path: string, token = api.adminToken) => {
  const res = await api.call('GET', path, { token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
};

before(async () => {
  if (skip) return;
  api = await startTestApi();
  const admin = api.adminToken;
  ids.teamA = (await expectOk(api, 'POST', '/v1/teams', admin, { name: unique('sla-inc-a') })).id;
  ids.teamB = (await expectOk(api, 'POST', '/v1/teams', admin, { name: unique('sla-inc-b') })).id;
  ids.sa = (await expectOk(api, 'POST', '/v1/services', admin, bodies.service(ids.teamA))).id;
  ids.quiet = (await expectOk(api, 'POST', '/v1/services', admin, bodies.service(ids.teamA))).id;
  ids.sb = (await expectOk(api, 'POST', '/v1/services', admin, bodies.service(ids.teamB))).id;
  const { teamA, teamB, sa, sb } = ids;
  // In the day, involving sa: acknowledged after 2 min, resolved 30 min after the first failure
  // (which came 1 min before it opened); acknowledged after 4 min, resolved after 10 min; open,
  // never acknowledged.
  await incident({ teamIds: [teamA], serviceIds: [sa], openedAt: 2 * H, firstFailureAt: 2 * H - M, ackAfter: 2 * M, resolveAfter: 30 * M });
  await incident({ teamIds: [teamA, teamB], serviceIds: [sb, sa], openedAt: 8 * H, ackAfter: 4 * M, resolveAfter: 10 * M });
  await incident({ teamIds: [teamA], serviceIds: [sa], openedAt: 20 * H });
  // Team B's own, in the day: resolved after 1 h, never acknowledged.
  await incident({ teamIds: [teamB], serviceIds: [sb], openedAt: 12 * H, resolveAfter: H });
  // Outside the day: the day before, and the day after.
  await incident({ teamIds: [teamA], serviceIds: [sa], openedAt: -H, ackAfter: M, resolveAfter: M });
  await incident({ teamIds: [teamA], serviceIds: [sa], openedAt: 24 * H, ackAfter: M, resolveAfter: M });
});
after(async () => api?.close());

test('a service report counts the incidents that involve it within the window, with mean MTTA and MTTR', { skip }, async () => {
  const r = await report(`/v1/sla/services/${ids.sa}?${day}`);
  assert.deepEqual(r.incidents, { count: 3, resolved: 2, open: 1, mtta_seconds: 180, mttr_seconds: 1200 });
  const b = await report(`/v1/sla/services/${ids.sb}?${day}`);
  assert.deepEqual(b.incidents, { count: 2, resolved: 2, open: 0, mtta_seconds: 240, mttr_seconds: (600 + 3600) / 2 });
  const quiet = await report(`/v1/sla/services/${ids.quiet}?${day}`);
  assert.deepEqual(quiet.incidents, { count: 0, resolved: 0, open: 0, mtta_seconds: null, mttr_seconds: null });
});

test('a team report counts the incidents whose teams include it', { skip }, async () => {
  const a = await report(`/v1/sla/teams/${ids.teamA}?${day}`);
  assert.deepEqual(a.incidents, { count: 3, resolved: 2, open: 1, mtta_seconds: 180, mttr_seconds: 1200 });
  const b = await report(`/v1/sla/teams/${ids.teamB}?${day}`);
  assert.deepEqual(b.incidents, { count: 2, resolved: 2, open: 0, mtta_seconds: 240, mttr_seconds: 2100 });
});

test('a wider window takes in the incidents before and after the day', { skip }, async () => {
  const wide = `from=${encodeURIComponent(t(-2 * H).toISOString())}&to=${encodeURIComponent(t(25 * H).toISOString())}`;
  const r = await report(`/v1/sla/services/${ids.sa}?${wide}`);
  assert.equal(r.incidents.count, 5);
  assert.equal(r.incidents.resolved, 4);
  assert.equal(r.incidents.mtta_seconds, (120 + 240 + 60 + 60) / 4);
  const monitor = await report(`/v1/sla/monitors/${(await expectOk(api, 'POST', '/v1/monitors', api.adminToken, bodies.monitor(ids.sa))).id}?${day}`);
  assert.equal(monitor.incidents, undefined, 'monitor reports carry no incident figures (incidents are about services)');
});
