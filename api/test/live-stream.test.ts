import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { monotonicFactory } from 'ulid';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { LiveBatch } from '../src/contract/live.schema.ts';
import { EventLogRepository } from '../src/modules/events/event-log.repository.ts';
import { newId } from '../src/shared/ids.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, createOrganization, expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';
import { eventsOf, openStream, type TestStream } from './support/sse-stream.ts';
import type { SseMessage } from '../src/web/console/sse.parser.ts';

// GET /v1/stream on a real PostgreSQL: state changes pushed through the runner protocol reach open
// streams as coalesced batches, filtered to what each principal may see, resumable with
// Last-Event-ID, limited per principal, and cleaned up when the client leaves.

const ulid = monotonicFactory();
const validBatch = new Ajv2020({ strict: false, validateFormats: false }).compile(LiveBatch);
const PER_PRINCIPAL = 3;
// The second replica's flush window: wide enough that five ingests one after the other (each
// ~150 ms on a busy machine) fall in one window.
const REPLICA_FLUSH_MS = 2_000;

describe('live stream', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let runner: SimulatedRunner;
  const region = unique('r');
  const team = {} as Record<'a' | 'b', { id: string; service: string; monitor: string; viewer: string }>;
  const opened: TestStream[] = [];
  const open = async (token: string | null, headers: Record<string, string> = {}) => {
    const s = await openStream(api.url, token, headers);
    opened.push(s);
    return s;
  };

  const push = async (monitorId: string, statuses: Array<'up' | 'down'>) => {
    // Newer than any result pushed before (older results are taken as late arrivals and change no state).
    const start = Date.now() - statuses.length * 20;
    const results = statuses.map((status, i) => ({
      id: `res_${ulid()}`, monitor_id: monitorId, region, started_at: new Date(start + i * 20).toISOString(), status, duration_ms: 5,
      ...(status === 'down' ? { error: { code: 'connect_refused', message: 'connection refused' } } : {}),
    }));
    const res = await api.call('POST', '/v1/runner/results', { token: runner.token, body: { runner_id: runner.id, results } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.accepted.length, statuses.length, JSON.stringify(res.body));
  };
  const about = (id: string) => (m: SseMessage) => m.event === 'batch' && eventsOf(m).some((e) => e.subject_id === id);
  const subjectsIn = (s: TestStream) => s.messages.filter((m) => m.event === 'batch').flatMap(eventsOf).map((e) => e.subject_id);
  const liveEventsAfter = async (seq: number) =>
    (await api.database.db.selectFrom('events').select(['seq', 'payload']).where('org_id', '=', api.orgId).where('kind', '=', 'state.transition').where('seq', '>', String(seq)).orderBy('seq').execute())
      .map((r) => ({ seq: Number(r.seq), ...(r.payload as { subject_type: string; subject_id: string; region: string | null; to: string }) }))
      .filter((p) => p.subject_type !== 'slot');

  before(async () => {
    api = await startTestApi({ backend: 'postgres', app: { runner: { leaseSeconds: 600 }, live: { maxPerPrincipal: PER_PRINCIPAL, keepaliveMs: 400 } } });
    for (const key of ['a', 'b'] as const) {
      const id = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique(`team-${key}`) })).id;
      const service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(id))).id;
      const monitor = (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(service), interval_seconds: 300, timeout_seconds: 1, failure_threshold: 1, recovery_threshold: 1, regions: [region] })).id;
      const viewer = (await expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique('viewer'), role: 'viewer', team_id: id })).token;
      team[key] = { id, service, monitor, viewer };
    }
    runner = await registerRunner(api, (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region, labels: {} })).token as string);
    await pollRunner(api, runner);
    await api.app.settle();
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });
  after(async () => api?.close());

  test('a state change reaches an open stream within a second as a batch; viewers see their team only, org admins both', async () => {
    const admin = await open(api.adminToken);
    const viewerA = await open(team.a.viewer);
    const viewerB = await open(team.b.viewer);
    assert.equal(admin.status, 200);
    assert.match(admin.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(admin.headers.get('cache-control'), 'no-store');

    const sent = Date.now();
    await push(team.a.monitor, ['up']);
    const batch = await admin.next(about(team.a.monitor), 2_000);
    const elapsed = Date.now() - sent;
    assert.ok(elapsed < 1_000, `arrived after ${elapsed} ms`);
    assert.ok(validBatch(JSON.parse(batch.data)), JSON.stringify(validBatch.errors));
    assert.match(batch.id, /^\d+$/);
    const events = eventsOf(batch);
    assert.deepEqual(events.find((e) => e.subject_id === team.a.monitor), { type: 'state', subject_type: 'monitor', subject_id: team.a.monitor, region: null, from: 'unknown', to: 'up', at: events.find((e) => e.subject_id === team.a.monitor)!.at });
    assert.ok(events.some((e) => e.subject_type === 'service' && e.subject_id === team.a.service && e.to === 'up'), 'the service follows');
    assert.ok(!events.some((e) => (e.subject_type as string) === 'slot'), 'slot transitions are not sent');
    await viewerA.next(about(team.a.monitor), 2_000);

    await push(team.b.monitor, ['up']);
    await admin.next(about(team.b.monitor), 2_000);
    await viewerB.next(about(team.b.monitor), 2_000);
    // Both pushes were read and flushed for every stream by now (same reads, same window); give a window more.
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(!subjectsIn(viewerA).includes(team.b.monitor) && !subjectsIn(viewerA).includes(team.b.service), `team A's viewer got team B's changes: ${subjectsIn(viewerA)}`);
    assert.ok(!subjectsIn(viewerB).includes(team.a.monitor) && !subjectsIn(viewerB).includes(team.a.service), `team B's viewer got team A's changes: ${subjectsIn(viewerB)}`);
    assert.match(admin.raw(), /^retry: 3000\n\n/, 'the stream starts by telling the client its reconnect delay');
    assert.match(admin.raw(), /\n: keepalive\n\n/, 'keepalive comments flow');
  });

  test('edges, alerts and incidents reach the viewers of the teams that own them (an edge: its dependent service\'s team), and org admins', async () => {
    const dependency = (await expectOk(api, 'POST', `/v1/services/${team.b.service}/dependencies`, api.adminToken, { depends_on_service_id: team.a.service })).id as string;
    const incident = newId('incident');
    const now = new Date();
    const { n } = await api.database.db.selectFrom('incidents').select((eb) => eb.fn.coalesce(eb.fn.max('number'), eb.lit(0)).as('n')).where('org_id', '=', api.orgId).executeTakeFirstOrThrow();
    await api.database.db.insertInto('incidents').values({ id: incident, org_id: api.orgId, number: Number(n) + 1, title: 'live', state: 'investigating', severity: 'error', team_id: null, team_ids: [team.b.id], service_ids: [], candidates: '[]', impacted: '[]', evidence: '[]', opened_at: now, first_failure_at: now, last_alert_at: now, auto_resolve: false, updated_at: now }).execute();
    const alert = newId('alert');
    const admin = await open(api.adminToken);
    const viewerA = await open(team.a.viewer);
    const viewerB = await open(team.b.viewer);
    await api.database.db.transaction().execute((trx) => new EventLogRepository().append(trx, [
      { orgId: api.orgId, kind: 'state.transition', at: now, payload: { subject_type: 'edge', subject_id: dependency, region: null, from: 'up', to: 'down', cause: {} } },
      { orgId: api.orgId, kind: 'alert.state_changed', at: now, payload: { rule_id: newId('alert_rule'), alert_id: alert, team_id: team.b.id, severity: 'critical', labels: {}, from: 'pending', to: 'firing', reason: 'test', value: 1 } },
      { orgId: api.orgId, kind: 'incident.changed', at: now, payload: { incident_id: incident, number: Number(n) + 1, state: 'investigating', change: 'opened' } },
    ]));
    const ids = (m: SseMessage) => eventsOf(m).map((e) => (e.subject_id ?? e.alert_id ?? e.incident_id) as string);
    const all = (s: TestStream) => (m: SseMessage) => m.event === 'batch' && [dependency, alert, incident].every((id) => s.messages.filter((x) => x.event === 'batch').flatMap(ids).includes(id));
    await admin.next(all(admin), 2_000);
    await viewerB.next(all(viewerB), 2_000);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(viewerA.messages.filter((m) => m.event === 'batch').flatMap(ids).filter((id) => [dependency, alert, incident].includes(id)), [], 'team A sees none of them');
  });

  test('on another replica (no nudge, its poll alone), many transitions of one subject within the window arrive as one event with the latest state', async () => {
    const replica = await startTestApi({ database: api.database, app: { runner: { leaseSeconds: 600 }, live: { flushMs: REPLICA_FLUSH_MS } } });
    const admin = await openStream(replica.url, api.adminToken);
    try {
      const from = admin.messages.length;
      const [before] = (await liveEventsAfter(0)).slice(-1);
      // Five ingests, each its own commit (one ingest changes a monitor once, however many results it carries).
      for (const status of ['down', 'up', 'down', 'up', 'down'] as const) await push(team.a.monitor, [status]);
      const batch = await admin.next(about(team.a.monitor), REPLICA_FLUSH_MS + 2_000, from);
      const inLog = (await liveEventsAfter(before!.seq)).filter((e) => e.subject_type === 'monitor' && e.subject_id === team.a.monitor);
      assert.equal(inLog.length, 5, 'the log has every transition');
      const mine = eventsOf(batch).filter((e) => e.subject_type === 'monitor' && e.subject_id === team.a.monitor);
      assert.equal(mine.length, 1, JSON.stringify(eventsOf(batch)));
      assert.equal(mine[0]!.to, 'down');
      assert.equal(mine[0]!.from, 'up', 'the latest change as it was logged');
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(admin.messages.slice(from).filter(about(team.a.monitor)).length, 1, 'one message for the whole burst');
    } finally {
      await admin.close();
      await replica.close();
    }
  });

  test('a reconnect with Last-Event-ID gets exactly the changes it missed, then live ones', async () => {
    const first = await open(api.adminToken);
    await push(team.a.monitor, ['up']);
    const seen = await first.next(about(team.a.monitor), 2_000);
    await first.close();
    const lastId = Number(seen.id);

    await push(team.a.monitor, ['down']);
    await push(team.b.monitor, ['down']);
    const missed = await liveEventsAfter(lastId);
    assert.ok(missed.length >= 4, JSON.stringify(missed));

    const again = await open(api.adminToken, { 'Last-Event-ID': String(lastId) });
    const expected = new Map(missed.map((e) => [`${e.subject_type}:${e.subject_id}:${e.region}`, e.to]));
    const got = new Map<string, unknown>();
    await again.next(() => {
      got.clear();
      for (const m of again.messages) if (m.event === 'batch') for (const e of eventsOf(m)) got.set(`${e.subject_type}:${e.subject_id}:${e.region}`, e.to);
      return got.size >= expected.size;
    }, 2_000);
    assert.deepEqual(Object.fromEntries(got), Object.fromEntries(expected));
    for (const m of again.messages) assert.ok(Number(m.id) > lastId, 'nothing from before the id is sent again');
    const through = Number(again.messages.at(-1)!.id);

    await push(team.b.monitor, ['up']);
    const live = await again.next((m) => Number(m.id) > through && about(team.b.monitor)(m), 2_000);
    assert.equal(eventsOf(live).find((e) => e.subject_id === team.b.monitor)!.to, 'up');
  });

  test('a Last-Event-ID the log can no longer answer gets a reset; one that is not a number is refused', async () => {
    const latest = Number((await api.database.db.selectFrom('events').select(({ fn }) => fn.max('seq').as('s')).where('org_id', '=', api.orgId).executeTakeFirstOrThrow()).s);
    const future = await open(api.adminToken, { 'Last-Event-ID': String(latest + 1_000) });
    assert.equal(future.status, 200, JSON.stringify(future.problem));
    assert.deepEqual(eventsOf(await future.next((m) => m.event === 'batch', 1_000)), [{ type: 'reset' }]);

    const bad = await open(api.adminToken, { 'Last-Event-ID': 'yesterday' });
    assert.equal(bad.status, 400);
    assert.equal(bad.problem.code, 'bad_request');
    assert.match(bad.problem.detail, /Last-Event-ID must be the id of a message/);

    // An id whose event was pruned (older than retention): what followed it may be gone too, so a reset.
    const [oldest] = await liveEventsAfter(0);
    await api.database.db.deleteFrom('events').where('org_id', '=', api.orgId).where('seq', '<=', String(oldest!.seq)).execute();
    const pruned = await open(api.adminToken, { 'Last-Event-ID': String(oldest!.seq) });
    assert.deepEqual(eventsOf(await pruned.next((m) => m.event === 'batch', 1_000)), [{ type: 'reset' }]);

    // More than the stream replays (1,000 changes) since the id: a reset, and the stream goes on live from now.
    const log = new EventLogRepository();
    const now = new Date();
    await api.database.db.transaction().execute((trx) => log.append(trx, Array.from({ length: 1_001 }, (_, i) => ({
      orgId: api.orgId, kind: 'state.transition' as const, at: now,
      payload: { subject_type: 'service' as const, subject_id: `svc_${ulid()}`, region: null, from: i % 2 ? 'up' as const : 'down' as const, to: i % 2 ? 'down' as const : 'up' as const, cause: {} },
    }))));
    const behind = await open(api.adminToken, { 'Last-Event-ID': String(latest) });
    const reset = await behind.next((m) => m.event === 'batch', 1_000);
    assert.deepEqual(eventsOf(reset), [{ type: 'reset' }]);
    assert.ok(Number(reset.id) > latest + 1_000, 'the reset carries the position to resume from');
  });

  test('at most the per-principal number of streams: the next answers 429 with what to do; closing one frees its place', async () => {
    const viewer = (await expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique('tabs'), role: 'viewer', team_id: team.a.id })).token as string;
    const tabs = [];
    for (let i = 0; i < PER_PRINCIPAL; i++) tabs.push(await open(viewer));
    assert.deepEqual(tabs.map((t) => t.status), Array(PER_PRINCIPAL).fill(200));
    const refused = await open(viewer);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    assert.equal(refused.problem.code, 'rate_limited');
    assert.match(refused.problem.detail, new RegExp(`already has ${PER_PRINCIPAL} live streams open.*close other console tabs`));
    assert.equal((await open(team.a.viewer)).status, 200, 'another principal is not affected');
    await tabs[0]!.close();
    const deadline = Date.now() + 2_000;
    let reopened = await open(viewer);
    while (reopened.status === 429 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      reopened = await open(viewer);
    }
    assert.equal(reopened.status, 200);
  });

  test('over the server-wide cap of open streams, any principal gets 429 until one closes', async () => {
    const replica = await startTestApi({ database: api.database, app: { runner: { leaseSeconds: 600 }, live: { maxStreams: 2 } } });
    try {
      const first = await openStream(replica.url, team.a.viewer);
      const second = await openStream(replica.url, team.b.viewer);
      const third = await openStream(replica.url, api.adminToken);
      assert.deepEqual([first.status, second.status, third.status], [200, 200, 429]);
      assert.equal(third.problem.code, 'rate_limited');
      assert.match(third.problem.detail, /2 live streams open, its limit; try again later/);
      await first.close();
      await second.close();
    } finally {
      await replica.close();
    }
  });

  test('a closed connection is removed at once, and the tailer stops reading an organization with no stream left', async () => {
    const other = await createOrganization(api);
    const before = api.app.live.stats().streams;
    const s = await open(other.adminToken);
    assert.equal(s.status, 200);
    await s.next(() => false, 100).catch(() => undefined);
    assert.ok(api.app.live.stats().tailed.includes(other.orgId));
    assert.equal(api.app.live.stats().streams, before + 1);
    assert.match((await api.call('GET', '/metrics')).body, new RegExp(`\\npharos_live_streams ${before + 1}\\n`), 'the gauge counts open streams');
    await s.close();
    const deadline = Date.now() + 1_000;
    while (api.app.live.stats().tailed.includes(other.orgId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.ok(!api.app.live.stats().tailed.includes(other.orgId), 'the organization is no longer tailed');
    assert.equal(api.app.live.stats().streams, before);
  });

  test('a runner token is refused like on every principal route, and no token is 401', async () => {
    const asRunner = await open(runner.token);
    assert.equal(asRunner.status, 403);
    assert.equal(asRunner.problem.code, 'forbidden');
    const anonymous = await open(null);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.problem.code, 'unauthorized');
  });
});
