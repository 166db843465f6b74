import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { monotonicFactory } from 'ulid';
import { startTestApi, postgresSkip, type Backend, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';

// The control plane's side of the runner protocol, driven over HTTP as a runner would.

const ulid = monotonicFactory();
const resultId = () => `res_${ulid()}`;

type Runner = SimulatedRunner;

for (const [backend, skip] of [['postgres', postgresSkip()], ['pglite', false]] as Array<[Backend, string | false]>) {
  describe(`runner protocol on ${backend}`, { skip }, () => {
    let api: TestApi;
    let team: string;
    let service: string;
    before(async () => {
      api = await startTestApi({ backend, app: { runner: { leaseSeconds: 3, recheckMs: 100 } } });
      team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
      service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id;
    });
    after(async () => api?.close());

    const runnerToken = async (region: string, labels: Record<string, string> = {}) => (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region, labels })).token as string;
    const register = (token: string) => registerRunner(api, token);
    const poll = (r: Runner, wait = 0) => pollRunner(api, r, wait);
    const push = async (r: Runner, results: unknown[]) => {
      const res = await api.call('POST', '/v1/runner/results', { token: r.token, body: { runner_id: r.id, results } });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const result = (monitorId: string, region: string, status: 'up' | 'down', at = new Date()) => ({
      id: resultId(), monitor_id: monitorId, region, started_at: at.toISOString(), status, duration_ms: 12.5, status_code: status === 'up' ? 200 : 500,
      timings: { connect_ms: 1, first_byte_ms: 10, total_ms: 12.5 }, ...(status === 'down' ? { error: { code: 'http_error', message: 'HTTP 500' } } : {}),
    });
    const monitor = async (extra: Record<string, unknown> = {}) => (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(service), ...extra })).id as string;

    test('register, full assignment set, results stored once, state per region', async () => {
      const region = unique('r');
      const m = await monitor({ regions: [region] });
      const r = await register(await runnerToken(region));
      const first = await poll(r);
      assert.equal(first.full, true);
      assert.deepEqual(first.monitors.map((x: { id: string }) => x.id), [m]);
      assert.equal(first.monitors[0].http.url, 'http://127.0.0.1:9/health');
      const res = result(m, region, 'up');
      const out = await push(r, [res]);
      assert.deepEqual(out.accepted, [res.id]);
      assert.equal(out.duplicates, 0);
      const again = await push(r, [res]);
      assert.deepEqual(again.accepted, [res.id]);
      assert.equal(again.duplicates, 1, 'a repeated id is acknowledged, not stored twice');
      const stored = await api.database.db.selectFrom('check_results').select('id').where('monitor_id', '=', m).execute();
      assert.equal(stored.length, 1);
      const state = await api.call('GET', `/v1/monitors/${m}/state`);
      assert.equal(state.body.state, 'up');
      assert.equal(state.body.regions[0].region, region);
      assert.equal(state.body.regions[0].runner_id, r.id);
      const page = await api.call('GET', `/v1/monitors/${m}/results`);
      assert.equal(page.body.items[0].id, res.id);
      assert.equal(page.body.items[0].timings.first_byte_ms, 10);
      const rollup = await api.database.db.selectFrom('result_rollups').selectAll().where('monitor_id', '=', m).where('resolution', '=', 'minute').executeTakeFirstOrThrow();
      assert.equal(rollup.checks, 1);
      assert.equal(rollup.histogram.reduce((a, b) => a + b, 0), 1);
    });

    test('the same result id twice in one batch is stored once and reported as a duplicate', async () => {
      const region = unique('r');
      const m = await monitor({ regions: [region] });
      const r = await register(await runnerToken(region));
      await poll(r);
      const res = result(m, region, 'down');
      const other = result(m, region, 'up', new Date(Date.now() + 1));
      const out = await push(r, [res, { ...res }, other, { ...res }]);
      assert.deepEqual(out.accepted, [res.id, other.id], 'each id once');
      assert.equal(out.duplicates, 2, 'the two repeats were not stored');
      assert.deepEqual(out.rejected, []);
      const stored = await api.database.db.selectFrom('check_results').select('id').where('monitor_id', '=', m).execute();
      assert.equal(stored.length, 2);
      // Summed over the rows: the two results may fall on either side of an hour boundary.
      // Hour figures as readers see them: hour rows of built hours, minute rows of the others.
      const { rows: rollups } = await sql<{ checks: number; down: number; up: number }>`SELECT checks, down, up FROM result_rollup_hours WHERE monitor_id = ${m}`.execute(api.database.db);
      const sum = (f: 'checks' | 'down' | 'up') => rollups.reduce((n, r) => n + Number(r[f]), 0);
      assert.deepEqual({ checks: sum('checks'), down: sum('down'), up: sum('up') }, { checks: 2, down: 1, up: 1 }, 'the rollups count the stored results only');
      const again = await push(r, [other, other]);
      assert.deepEqual(again.accepted, [other.id]);
      assert.equal(again.duplicates, 2, 'stored before, and repeated');
    });

    test('results for monitors the runner does not own, other regions or bad documents are rejected', async () => {
      const region = unique('r');
      const elsewhere = await monitor({ regions: [unique('other')] });
      const r = await register(await runnerToken(region));
      await poll(r);
      const out = await push(r, [result(elsewhere, region, 'up'), result(elsewhere, 'somewhere-else', 'up'), { id: 'nope' }, result('mon_01JD0000000000000000000000', region, 'up')]);
      assert.deepEqual(out.accepted, []);
      assert.deepEqual(out.rejected.map((x: { code: string }) => x.code), ['not_assigned', 'invalid_result', 'not_assigned', 'unknown_monitor']);
    });

    test('a first failure asks for a confirmation check and two failures make the monitor down', async () => {
      const region = unique('r');
      const m = await monitor({ regions: [region], failure_threshold: 2 });
      const r = await register(await runnerToken(region));
      await poll(r);
      await push(r, [result(m, region, 'up', new Date(Date.now() - 2000))]);
      await push(r, [result(m, region, 'down', new Date(Date.now() - 1000))]);
      const answer = await poll(r, 5);
      assert.deepEqual(answer.confirmations.map((c: { monitor_id: string }) => c.monitor_id), [m], 'the poll answers at once with the confirmation');
      assert.equal((await api.call('GET', `/v1/monitors/${m}/state`)).body.state, 'up', 'one failure is not an outage');
      await push(r, [{ ...result(m, region, 'down'), confirmation: true }]);
      const state = await api.call('GET', `/v1/monitors/${m}/state`);
      assert.equal(state.body.state, 'down');
      const status = await api.call('GET', '/v1/status');
      const svc = status.body.services.find((s: { id: string }) => s.id === service);
      assert.equal(svc.state, 'down', 'the service is as bad as its worst monitor');
      const transitions = await api.call('GET', `/v1/monitors/${m}/transitions`);
      assert.ok(transitions.body.items.some((t: { subject_type: string; to: string }) => t.subject_type === 'monitor' && t.to === 'down'));
      await push(r, [result(m, region, 'up')]);
      assert.equal((await api.call('GET', `/v1/monitors/${m}/state`)).body.state, 'up');
    });

    test('slots are shared between runners, move on deregistration and on a lapsed lease', async () => {
      const region = unique('r');
      const ids = [];
      for (let i = 0; i < 6; i++) ids.push(await monitor({ regions: [region] }));
      const token = await runnerToken(region);
      const a = await register(token);
      assert.equal((await poll(a)).monitors.length, 6);
      const b = await register(token);
      const bSet = await poll(b);
      assert.equal(bSet.monitors.length, 3, 'the new runner takes its share');
      const aChange = await poll(a, 5);
      assert.equal(aChange.full, false);
      assert.equal(aChange.removed.length, 3, 'the first runner is told which monitors it lost');
      const owners = await api.database.db.selectFrom('slot_assignments').select(['monitor_id', 'runner_id']).where('region', '=', region).execute();
      assert.equal(owners.length, 6, 'each slot has exactly one owner');
      assert.equal(new Set(owners.map((o) => o.monitor_id)).size, 6);

      assert.equal((await api.call('POST', '/v1/runner/deregister', { token, body: { runner_id: b.id } })).status, 204);
      const back = await poll(a, 5);
      assert.equal(back.monitors.length, 3, 'a deregistered runner\'s monitors move at once');

      // b comes back, takes half, then stops polling: its lease lapses and a gets everything back.
      const c = await register(token);
      await poll(c);
      await poll(a, 2);
      const started = Date.now();
      let owned = 0;
      while (Date.now() - started < 10_000) {
        const answer = await poll(a, 2);
        if (answer.full) owned = answer.monitors.length;
        else owned += answer.monitors.length - answer.removed.length;
        const count = await api.database.db.selectFrom('slot_assignments').select('monitor_id').where('runner_id', '=', a.id).execute();
        if (count.length === 6) break;
      }
      const final = await api.database.db.selectFrom('slot_assignments').select('monitor_id').where('runner_id', '=', a.id).execute();
      assert.equal(final.length, 6, 'all slots are back on the live runner');
      assert.ok(Date.now() - started < 3000 + 3000, `moved within the lease (took ${Date.now() - started} ms)`);
      assert.ok(owned >= 0);
    });

    test('zones: a monitor that asks for a zone runs only on runners carrying it', async () => {
      const region = unique('r');
      const zoned = await monitor({ regions: [region], run_from: { zone: 'fulfillment' } });
      const plain = await register(await runnerToken(region));
      assert.deepEqual((await poll(plain)).monitors, []);
      const inZone = await register(await runnerToken(region, { zone: 'fulfillment' }));
      assert.deepEqual((await poll(inZone)).monitors.map((x: { id: string }) => x.id), [zoned]);
    });

    test('a monitor without regions runs in every region with live runners; edits and deletes reach the runner', async () => {
      const r1 = unique('r');
      const r2 = unique('r');
      const a = await register(await runnerToken(r1));
      const b = await register(await runnerToken(r2));
      await poll(a);
      await poll(b);
      const m = await monitor({ tags: { scope: 'everywhere' } });
      await api.app.settle();
      const inA = await poll(a, 5);
      const inB = await poll(b, 5);
      assert.ok(inA.monitors.some((x: { id: string }) => x.id === m));
      assert.ok(inB.monitors.some((x: { id: string }) => x.id === m));
      await expectOk(api, 'PATCH', `/v1/monitors/${m}`, api.adminToken, { interval_seconds: 45 });
      await api.app.settle();
      const edited = await poll(a, 5);
      assert.equal(edited.monitors.find((x: { id: string }) => x.id === m)?.interval_seconds, 45);
      await expectOk(api, 'PATCH', `/v1/monitors/${m}`, api.adminToken, { enabled: false });
      await api.app.settle();
      assert.ok((await poll(a, 5)).removed.includes(m), 'a disabled monitor stops running');
      const gone = await monitor();
      await api.app.settle();
      assert.ok((await poll(a, 5)).monitors.some((x: { id: string }) => x.id === gone));
      assert.equal((await api.call('DELETE', `/v1/monitors/${gone}`)).status, 204);
      assert.ok((await poll(a, 5)).removed.includes(gone), 'a deleted monitor stops running');
    });

    test('an incompatible runner is refused with a clear error; runner tokens reach nothing else', async () => {
      const token = await runnerToken(unique('r'));
      const res = await api.call('POST', '/v1/runner/register', { token, body: { protocol_version: 99, version: 'x', capabilities: ['http'] } });
      assert.equal(res.status, 426);
      assert.equal(res.body.code, 'incompatible_runner');
      assert.match(res.body.detail, /protocol 1/);
      assert.equal((await api.call('POST', '/v1/runner/register', { body: { protocol_version: 1, version: 'x', capabilities: ['http'] } })).status, 403, 'API tokens cannot act as runners');
      const other = await register(await runnerToken(unique('r')));
      assert.equal((await api.call('GET', `/v1/runner/assignments?runner_id=${other.id}`, { token })).status, 404, 'a runner id of another token');
    });

    test('heartbeat monitors: pings keep them up, silence marks them down', async () => {
      const hb = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { name: unique('hb'), service_id: service, type: 'heartbeat', heartbeat: { period_seconds: 5, grace_seconds: 0 } });
      assert.match(hb.heartbeat_url, /\/v1\/heartbeats\/[\w-]{20,}$/);
      const path = new URL(hb.heartbeat_url).pathname;
      const ping = await api.call('POST', path, { token: null, raw: 'done', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(ping.status, 200, JSON.stringify(ping.body));
      assert.equal((await api.call('GET', `/v1/monitors/${hb.id}/state`)).body.state, 'up');
      const deadline = Date.now() + 9000;
      let state = 'up';
      while (Date.now() < deadline && state !== 'down') {
        await new Promise((r) => setTimeout(r, 250));
        state = (await api.call('GET', `/v1/monitors/${hb.id}/state`)).body.state;
      }
      assert.equal(state, 'down');
      assert.equal((await api.call('GET', `${path}?status=up`, { token: null })).status, 200);
      assert.equal((await api.call('GET', `/v1/monitors/${hb.id}/state`)).body.state, 'up');
      assert.equal((await api.call('GET', '/v1/heartbeats/not-a-real-token-at-all', { token: null })).status, 404);
    });
  });
}
