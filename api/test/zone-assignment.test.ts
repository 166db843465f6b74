import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { monotonicFactory } from 'ulid';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';

// Zone runners and the general pool, through the REST API and the runner protocol on PostgreSQL:
// the fleet of the report (two regional runners and a fulfillment zone runner in one region).

const ulid = monotonicFactory();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Runner = SimulatedRunner;
interface RegionState { region: string; state: string; cause?: string; runner_id?: string }

describe('zone-aware assignment on postgres', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let service: string;
  before(async () => {
    api = await startTestApi({ backend: 'postgres', app: { runner: { leaseSeconds: 3, recheckMs: 100 }, reconcileEveryMs: 300 } });
    const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
    service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id;
  });
  after(async () => api?.close());

  const runnerToken = async (region: string, extra: Record<string, unknown> = {}) => expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region, ...extra });
  const register = (token: string) => registerRunner(api, token);
  const poll = (r: Runner) => pollRunner(api, r);
  const push = async (r: Runner, monitorId: string, region: string) => {
    const res = await api.call('POST', '/v1/runner/results', { token: r.token, body: { runner_id: r.id, results: [{ id: `res_${ulid()}`, monitor_id: monitorId, region, started_at: new Date().toISOString(), status: 'up', duration_ms: 5, status_code: 200 }] } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.accepted.length, 1, JSON.stringify(res.body));
  };
  const createMonitor = async (extra: Record<string, unknown>) => {
    const res = await api.call('POST', '/v1/monitors', { body: { ...bodies.monitor(service), ...extra } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; warnings?: Array<{ code: string; message: string; regions: string[] }> };
  };
  const owners = async (monitorIds: readonly string[]) => {
    const rows = await api.database.db.selectFrom('slot_assignments').select(['monitor_id', 'runner_id']).where('monitor_id', 'in', [...monitorIds]).execute();
    return new Map(rows.map((r) => [r.monitor_id, r.runner_id]));
  };
  /** Polls like a live runner (every 250 ms, lease renewed) until stopped; the test's own polls keep their revisions. */
  const keepPolling = (runners: readonly Runner[]) => {
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        for (const r of runners) await api.call('GET', `/v1/runner/assignments?runner_id=${r.id}&revision=0&wait=0`, { token: r.token });
        await sleep(250);
      }
    })();
    return async () => {
      stopped = true;
      await loop;
    };
  };
  const regionState = async (monitorId: string, region: string): Promise<RegionState | undefined> =>
    ((await api.call('GET', `/v1/monitors/${monitorId}/state`)).body.regions as RegionState[]).find((r) => r.region === region);

  test('a zone runner takes only zone slots; general slots without a general runner are unknown (no_runner), not moved into the zone', async (t) => {
    const region = unique('use1');
    const generalToken = (await runnerToken(region)).token as string;
    const zoneTokenBody = await runnerToken(region, { labels: { zone: 'fulfillment' } });
    assert.equal(zoneTokenBody.serves_general_pool, false, 'a zone token serves its zone only unless it says otherwise');
    const a = await register(generalToken);
    const b = await register(generalToken);
    const zone = await register(zoneTokenBody.token);
    const stopGeneral = keepPolling([a, b]);
    const stopZone = keepPolling([zone]);
    try {

      const general: string[] = [];
      for (let i = 0; i < 12; i++) {
        const m = await createMonitor({ regions: [region] });
        assert.equal(m.warnings, undefined, 'a monitor the fleet can run has no warning');
        general.push(m.id);
      }
      const zoned: string[] = [];
      for (let i = 0; i < 3; i++) zoned.push((await createMonitor({ regions: [region], run_from: { zone: 'fulfillment' } })).id);
      await api.app.settle();

      let owner = await owners([...general, ...zoned]);
      assert.deepEqual([...general, ...zoned].filter((m) => !owner.has(m)), [], 'every slot has an owner');
      for (const m of zoned) assert.equal(owner.get(m), zone.id, 'zone monitors run in the zone');
      for (const m of general) assert.notEqual(owner.get(m), zone.id, 'a general monitor never runs from inside the zone');
      const onA = general.filter((m) => owner.get(m) === a.id).length;
      assert.ok(Math.abs(onA - (12 - onA)) <= 1, `general slots balanced over the two general runners (${onA} / ${12 - onA})`);
      assert.deepEqual((await poll(zone)).monitors.map((m: { id: string }) => m.id).sort(), [...zoned].sort());
      await poll(a);
      await poll(b);
      for (const m of general) await push(owner.get(m) === a.id ? a : b, m, region);
      assert.equal((await regionState(general[0]!, region))?.state, 'up');

      // The general runners stop polling; only the zone runner stays. Bounded: at most 10 s.
      await stopGeneral();
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        owner = await owners(general);
        if (owner.size === 0) break;
        await sleep(200);
      }
      assert.equal(owner.size, 0, 'the general slots left the dead runners and went nowhere');
      t.diagnostic(`general slots released ${Date.now() - deadline + 10_000} ms after the general runners stopped polling (lease 3 s)`);
      const zoneNow = await owners(zoned);
      for (const m of zoned) assert.equal(zoneNow.get(m), zone.id);
      const answer = await poll(zone);
      assert.ok(!answer.monitors.some((m: { id: string }) => general.includes(m.id)), 'no general monitor was sent to the zone runner');
      for (const m of general) {
        const st = await regionState(m, region);
        assert.deepEqual({ state: st?.state, cause: st?.cause }, { state: 'unknown', cause: 'no_runner' }, m);
      }
      const monitorState = (await api.call('GET', `/v1/monitors/${general[0]}/state`)).body;
      assert.equal(monitorState.state, 'unknown', 'the monitor is not up while nothing checks it');
      const transitions = (await api.call('GET', `/v1/monitors/${general[0]}/transitions`)).body.items as Array<{ subject_type: string; from: string; to: string; cause?: { reason?: string } }>;
      assert.ok(transitions.some((t) => t.subject_type === 'slot' && t.from === 'up' && t.to === 'unknown' && t.cause?.reason === 'no_runner'), JSON.stringify(transitions));

      // Creating a general monitor now is answered with a warning naming the region.
      const lonely = await createMonitor({ regions: [region] });
      assert.equal(lonely.warnings?.length, 1, JSON.stringify(lonely));
      assert.equal(lonely.warnings![0]!.code, 'no_runner');
      assert.deepEqual(lonely.warnings![0]!.regions, [region]);
      assert.match(lonely.warnings![0]!.message, /general runner/);
      await api.app.settle();
      const waiting = await regionState(lonely.id, region);
      assert.deepEqual({ state: waiting?.state, cause: waiting?.cause }, { state: 'unknown', cause: 'no_runner' });

      // A general runner appears: the slots are assigned to it, the cause clears, state proceeds.
      const c = await register(generalToken);
      await api.app.settle();
      owner = await owners([...general, lonely.id]);
      for (const m of [...general, lonely.id]) assert.equal(owner.get(m), c.id, 'the new general runner takes the general slots');
      assert.equal((await regionState(lonely.id, region))?.cause, undefined, 'no_runner clears once a runner owns the slot');
      await poll(c);
      await push(c, lonely.id, region);
      const after = await regionState(lonely.id, region);
      assert.deepEqual({ state: after?.state, cause: after?.cause, runner: after?.runner_id }, { state: 'up', cause: undefined, runner: c.id });
      const zoneAfter = await owners(zoned);
      for (const m of zoned) assert.equal(zoneAfter.get(m), zone.id);
    } finally {
      await stopGeneral();
      await stopZone();
    }
  });

  test('a zone monitor whose region has no runner of its zone is reported at create and unknown (no_runner) until one registers', async () => {
    const region = unique('usw2');
    const general = await register((await runnerToken(region)).token as string);
    const m = await createMonitor({ regions: [region], run_from: { zone: 'billing' } });
    assert.equal(m.warnings?.[0]?.code, 'no_runner');
    assert.match(m.warnings![0]!.message, /zone "billing"/);
    await api.app.settle();
    assert.equal((await owners([m.id])).size, 0, 'the general runner does not take a zone monitor');
    assert.deepEqual(await poll(general).then((x) => x.monitors), []);
    const st = await regionState(m.id, region);
    assert.deepEqual({ state: st?.state, cause: st?.cause }, { state: 'unknown', cause: 'no_runner' });

    const billing = await register((await runnerToken(region, { labels: { zone: 'billing' } })).token as string);
    await api.app.settle();
    assert.equal((await owners([m.id])).get(m.id), billing.id);
    assert.equal((await regionState(m.id, region))?.cause, undefined);
    const updated = await api.call('PATCH', `/v1/monitors/${m.id}`, { body: { interval_seconds: 45 } });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.warnings, undefined, 'no warning once a runner of the zone is live');
    const got = await api.call('GET', `/v1/monitors/${m.id}`);
    assert.equal(got.body.warnings, undefined, 'warnings belong to write answers only');
  });

  test('a general slot a zone runner holds from before the rule (an upgrade) moves to a general runner at the next reconcile', async () => {
    const region = unique('apse1');
    const general = await register((await runnerToken(region)).token as string);
    const zone = await register((await runnerToken(region, { labels: { zone: 'fulfillment' } })).token as string);
    const stop = keepPolling([general, zone]);
    try {
      const m = (await createMonitor({ regions: [region] })).id;
      await api.app.settle();
      assert.equal((await owners([m])).get(m), general.id);
      // What the previous planner left behind: the zone runner owns a general slot.
      await api.database.db.updateTable('slot_assignments').set({ runner_id: zone.id }).where('monitor_id', '=', m).execute();
      const started = Date.now();
      let owner = zone.id;
      while (Date.now() - started < 5_000 && owner !== general.id) {
        await sleep(100);
        owner = (await owners([m])).get(m) ?? '';
      }
      assert.equal(owner, general.id, 'the reconcile moved the slot out of the zone');
    } finally {
      await stop();
    }
  });

  test('a monitor created with an Idempotency-Key is placed, and its replay carries the same warning', async () => {
    const region = unique('euc1');
    const zone = await register((await runnerToken(region, { labels: { zone: 'fulfillment' } })).token as string);
    const stop = keepPolling([zone]);
    try {
      const body = { ...bodies.monitor(service), regions: [region], run_from: { zone: 'fulfillment' } };
      const first = await api.call('POST', '/v1/monitors', { body, headers: { 'idempotency-key': unique('k') } });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      assert.equal(first.body.warnings, undefined);
      await api.app.settle();
      assert.equal((await owners([first.body.id])).get(first.body.id), zone.id);
      const general = { ...bodies.monitor(service), regions: [region] };
      const key = unique('k');
      const warned = await api.call('POST', '/v1/monitors', { body: general, headers: { 'idempotency-key': key } });
      const replay = await api.call('POST', '/v1/monitors', { body: general, headers: { 'idempotency-key': key } });
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(replay.body.warnings, warned.body.warnings);
      assert.equal(warned.body.warnings[0].code, 'no_runner');
    } finally {
      await stop();
    }
  });

  test('serves_general_pool: a zone token that says so takes general slots; turning it off moves them out', async () => {
    const region = unique('euw1');
    const token = await runnerToken(region, { labels: { zone: 'fulfillment' }, serves_general_pool: true });
    assert.equal(token.serves_general_pool, true);
    const zone = await register(token.token);
    const m = await createMonitor({ regions: [region] });
    assert.equal(m.warnings, undefined);
    await api.app.settle();
    assert.equal((await owners([m.id])).get(m.id), zone.id);

    const patched = await expectOk(api, 'PATCH', `/v1/runner-tokens/${token.id}`, api.adminToken, { serves_general_pool: false });
    assert.equal(patched.serves_general_pool, false);
    await api.app.settle();
    assert.equal((await owners([m.id])).size, 0, 'the general slot left the zone runner');
    assert.equal((await regionState(m.id, region))?.cause, 'no_runner');
    const listed = (await api.call('GET', `/v1/runner-tokens/${token.id}`)).body;
    assert.equal(listed.serves_general_pool, false);
    const bad = await api.call('PATCH', `/v1/runner-tokens/${token.id}`, { body: { serves_general_pool: 'yes' } });
    assert.equal(bad.status, 422, JSON.stringify(bad.body));
    assert.equal((await api.call('GET', `/v1/runner-tokens/${token.id}`)).body.version, patched.version, 'a rejected change changes nothing');
  });
});
