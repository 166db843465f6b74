import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { monotonicFactory } from 'ulid';
import { NoDataService } from '../src/modules/state/no-data.service.ts';
import { StateRepository } from '../src/modules/state/state.repository.ts';
import { StateService } from '../src/modules/state/state.service.ts';
import { startTestApi, postgresSkip, type Backend, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';

// No data is a state: a slot whose runner stops reporting becomes unknown with cause no_data after
// max(2 × interval, interval + timeout + lease); a region with no live runner is unknown (no_runner).
// Runners are simulated over the runner protocol, as runner-protocol.test.ts does.

const ulid = monotonicFactory();
const LEASE_SECONDS = 3;
// interval 5 s, timeout 1 s, lease 3 s: max(10, 9) = 10 s.
const THRESHOLD_MS = 10_000;

type Runner = SimulatedRunner;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const [backend, skip] of [['postgres', postgresSkip()], ['pglite', false]] as Array<[Backend, string | false]>) {
  describe(`no data on ${backend}`, { skip }, () => {
    let api: TestApi;
    let service: string;
    let repo: StateRepository;
    let sweeper: NoDataService;
    before(async () => {
      api = await startTestApi({ backend, app: { runner: { leaseSeconds: LEASE_SECONDS, recheckMs: 100 } } });
      const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
      service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id;
      repo = new StateRepository();
      // A second sweeper on the same database, driven with a chosen clock for the boundary cases.
      sweeper = new NoDataService(api.database.db, repo, new StateService(repo), LEASE_SECONDS);
    });
    after(async () => api?.close());

    const register = async (region: string): Promise<Runner> => registerRunner(api, (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region, labels: {} })).token as string);
    const poll = (r: Runner) => pollRunner(api, r);
    /** Keeps a runner's lease alive (it polls) while it sends no results. */
    const keepPolling = (r: Runner) => {
      let on = true;
      const loop = (async () => {
        while (on) {
          await poll(r);
          await sleep(400);
        }
      })();
      return async () => {
        on = false;
        await loop;
      };
    };
    const push = async (r: Runner, monitorId: string, region: string, status: 'up' | 'down', at = new Date()) => {
      const body = { runner_id: r.id, results: [{ id: `res_${ulid()}`, monitor_id: monitorId, region, started_at: at.toISOString(), status, duration_ms: 5, ...(status === 'down' ? { error: { code: 'http_error', message: 'HTTP 500' } } : {}) }] };
      const res = await api.call('POST', '/v1/runner/results', { token: r.token, body });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.accepted.length, 1, JSON.stringify(res.body));
      return at;
    };
    const monitor = async (extra: Record<string, unknown>) =>
      (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(service), interval_seconds: 5, timeout_seconds: 1, ...extra })).id as string;
    const state = async (id: string) => (await api.call('GET', `/v1/monitors/${id}/state`)).body;
    const transitions = async (id: string) => (await api.call('GET', `/v1/monitors/${id}/transitions?limit=100`)).body.items as Array<{ subject_type: string; region?: string; from: string; to: string; cause?: Record<string, unknown> }>;
    const statusRegion = async (id: string, region: string) => {
      const status = (await api.call('GET', '/v1/status')).body;
      const m = status.services.flatMap((s: { monitors: unknown[] }) => s.monitors).find((x: { id: string }) => x.id === id);
      return m.regions.find((r: { region: string }) => r.region === region);
    };

    test('a runner that stops reporting: after the threshold the slot is unknown (no_data) with a transition; a result brings it back up and clears the cause', async (t) => {
      const region = unique('r');
      const m = await monitor({ regions: [region] });
      const runner = await register(region);
      await poll(runner);
      await api.app.settle();
      const stop = keepPolling(runner);
      try {
        const lastAt = await push(runner, m, region, 'up');
        assert.equal((await state(m)).state, 'up');
        // The registered background sweep (every 250 ms here) does the marking; the runner stays live.
        let turnedAt = 0;
        let s = await state(m);
        while (Date.now() - lastAt.getTime() < THRESHOLD_MS + 8_000 && s.state !== 'unknown') {
          await sleep(200);
          s = await state(m);
          if (s.state === 'unknown') turnedAt = Date.now();
        }
        assert.equal(s.state, 'unknown', 'the monitor is unknown once its only region has no data');
        assert.ok(turnedAt - lastAt.getTime() >= THRESHOLD_MS, `not before the threshold: unknown after ${turnedAt - lastAt.getTime()} ms`);
        t.diagnostic(`slot unknown (no_data) ${turnedAt - lastAt.getTime()} ms after its last result (threshold ${THRESHOLD_MS} ms, sweep every 250 ms)`);
        assert.equal(s.regions[0].cause, 'no_data');
        assert.equal(s.regions[0].runner_id, runner.id, 'the slot is still assigned: the runner is live, it just sends nothing');
        assert.equal((await statusRegion(m, region)).cause, 'no_data', '/v1/status shows the cause');
        const slotMove = (await transitions(m)).find((t) => t.subject_type === 'slot' && t.to === 'unknown');
        assert.equal(slotMove?.from, 'up');
        assert.equal(slotMove?.cause?.reason, 'no_data');
        assert.equal(slotMove?.cause?.quiet_since, lastAt.toISOString());
        assert.ok((await transitions(m)).some((t) => t.subject_type === 'monitor' && t.from === 'up' && t.to === 'unknown'), 'the monitor state follows');
        assert.deepEqual((await repo.causes(api.database.db, api.orgId, [m])).map((c) => [c.region, c.state, c.cause]), [[region, 'unknown', 'no_data']]);

        await push(runner, m, region, 'up');
        const back = await state(m);
        assert.equal(back.state, 'up', 'the next result recovers the slot as usual (recovery_threshold 1)');
        assert.equal(back.regions[0].cause, undefined, 'the cause cleared');
        assert.equal((await statusRegion(m, region)).cause, undefined);
        assert.ok((await transitions(m)).some((t) => t.subject_type === 'slot' && t.from === 'unknown' && t.to === 'up' && t.cause?.status === 'up'));
        assert.deepEqual((await repo.causes(api.database.db, api.orgId, [m])).map((c) => c.cause), [null]);
      } finally {
        await stop();
      }
    });

    test('the threshold is max(2 × interval, interval + timeout + lease): not a moment before, and a down slot goes unknown too', async () => {
      const region = unique('r');
      // interval 20 s, timeout 15 s, lease 3 s: max(40, 38) = 40 s; failure_threshold 1 makes one down result a down slot.
      const m = await monitor({ regions: [region], interval_seconds: 20, timeout_seconds: 15, failure_threshold: 1 });
      const runner = await register(region);
      await poll(runner);
      await api.app.settle();
      const stop = keepPolling(runner);
      try {
        const lastAt = await push(runner, m, region, 'down');
        assert.equal((await state(m)).state, 'down');
        await sweeper.sweep(new Date(lastAt.getTime() + 39_500));
        assert.equal((await state(m)).state, 'down', '39.5 s of silence is within the threshold');
        await sweeper.sweep(new Date(lastAt.getTime() + 40_500));
        const s = await state(m);
        assert.equal(s.state, 'unknown');
        assert.equal(s.regions[0].cause, 'no_data');
        const slotMove = (await transitions(m)).find((t) => t.subject_type === 'slot' && t.to === 'unknown');
        assert.equal(slotMove?.from, 'down');
        assert.equal(slotMove?.cause?.reason, 'no_data');
        const before = (await transitions(m)).length;
        await sweeper.sweep(new Date(lastAt.getTime() + 120_000));
        assert.equal((await transitions(m)).length, before, 'a slot already no_data is not marked again');
      } finally {
        await stop();
      }
    });

    test('an assigned slot that never reported is unknown with cause no_data after the threshold', async () => {
      const region = unique('r');
      const m = await monitor({ regions: [region] });
      const runner = await register(region);
      await poll(runner);
      await api.app.settle();
      const stop = keepPolling(runner);
      try {
        // Either no slot row yet, or the one the placement left (unknown, its no_runner cleared when the runner came).
        assert.ok((await state(m)).regions.every((r: { last_result_at?: string; cause?: string }) => !r.last_result_at && !r.cause), 'no result and no cause yet');
        await sweeper.sweep(new Date(Date.now() + THRESHOLD_MS + 1_000));
        const s = await state(m);
        assert.equal(s.state, 'unknown');
        assert.deepEqual(s.regions.map((r: { region: string; cause?: string }) => [r.region, r.cause]), [[region, 'no_data']]);
        await push(runner, m, region, 'up');
        const back = await state(m);
        assert.equal(back.state, 'up');
        assert.equal(back.regions[0].cause, undefined);
      } finally {
        await stop();
      }
    });

    test('a region whose only runner is gone makes its slot unknown (no_runner), and the no-data sweep leaves that cause alone', async () => {
      const region = unique('r');
      const m = await monitor({ regions: [region] });
      const runner = await register(region);
      await poll(runner);
      await api.app.settle();
      await push(runner, m, region, 'up');
      assert.equal((await state(m)).state, 'up');
      // The runner stops polling: its lease lapses after 3 s and the lease reaper re-plans.
      const deadline = Date.now() + LEASE_SECONDS * 1000 + 20_000; // generous: the loop ends as soon as the cause appears
      let s = await state(m);
      while (Date.now() < deadline && s.regions[0]?.cause !== 'no_runner') {
        await sleep(200);
        s = await state(m);
      }
      assert.equal(s.state, 'unknown');
      assert.equal(s.regions[0].cause, 'no_runner');
      assert.equal(s.regions[0].runner_id, undefined);
      const slotMove = (await transitions(m)).find((t) => t.subject_type === 'slot' && t.to === 'unknown');
      assert.equal(slotMove?.cause?.reason, 'no_runner');
      await sweeper.sweep(new Date(Date.now() + 3_600_000));
      assert.equal((await state(m)).regions[0].cause, 'no_runner', 'no_runner explains the silence; it is not turned into no_data');
    });

    test('a monitor that lists no regions: the region whose runners are gone drops out of its placement and its slot becomes no_data', async () => {
      const region = unique('r');
      const pool = unique('pool');
      const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region, labels: { pool } })).token as string;
      const reg = await api.call('POST', '/v1/runner/register', { token, body: { protocol_version: 1, version: 'test', capabilities: ['http'] } });
      assert.equal(reg.status, 201, JSON.stringify(reg.body));
      const runner: Runner = { id: reg.body.runner_id, token, revision: 0 };
      const m = await monitor({ run_from: { labels: { pool } } });
      await api.app.settle();
      await poll(runner);
      const lastAt = await push(runner, m, region, 'up');
      assert.equal((await state(m)).state, 'up');
      // The runner stops polling; once its lease lapsed the slot is no longer assigned anywhere.
      const deadline = Date.now() + LEASE_SECONDS * 1000 + 20_000; // generous: the loop ends as soon as the cause appears
      while (Date.now() < deadline && (await state(m)).regions.find((r: { region: string }) => r.region === region)?.runner_id) await sleep(200);
      const mine = (s: { regions: Array<{ region: string; state: string; cause?: string; runner_id?: string }> }) => s.regions.find((r) => r.region === region)!;
      assert.equal(mine(await state(m)).runner_id, undefined, 'the lapsed runner no longer owns the slot');
      assert.equal(mine(await state(m)).state, 'up', 'until the threshold the slot keeps its last state');
      await sweeper.sweep(new Date(lastAt.getTime() + THRESHOLD_MS + 1_000));
      const after = await state(m);
      assert.deepEqual([mine(after).state, mine(after).cause], ['unknown', 'no_data']);
      assert.equal(after.state, 'unknown', 'no region reports: the monitor is unknown');
    });

    test('heartbeat monitors are never no_data: a missed ping is down', async () => {
      const hb = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { name: unique('hb'), service_id: service, type: 'heartbeat', heartbeat: { period_seconds: 3600, grace_seconds: 0 } });
      const ping = await api.call('POST', new URL(hb.heartbeat_url).pathname, { token: null });
      assert.equal(ping.status, 200, JSON.stringify(ping.body));
      await sweeper.sweep(new Date(Date.now() + 86_400_000));
      const s = await state(hb.id);
      assert.equal(s.state, 'up');
      assert.equal(s.regions[0].cause, undefined);
    });
  });
}
