import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { monotonicFactory } from 'ulid';
import type { CheckResult } from '../src/contract/result.schema.ts';
import { MetricRollupRepository } from '../src/modules/metrics/metric-rollup.repository.ts';
import { PartitionManager } from '../src/modules/results/partition.manager.ts';
import { ResultRepository } from '../src/modules/results/result.repository.ts';
import { startTestApi, postgresSkip, type Backend, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// Health-endpoint metrics on the control plane: results carrying metric values are stored, rolled
// up per minute per monitor × region × metric (min, max, sum, count, last) in the ingest
// transaction, answered by GET /v1/monitors/{id}/metrics and by metricWindow (what the alert
// functions read), and expire with the minute rollups.

const ulid = monotonicFactory();
const MINUTE = 60_000;

for (const [backend, skip] of [['postgres', postgresSkip()], ['pglite', false]] as Array<[Backend, string | false]>) {
  describe(`health metrics on ${backend}`, { skip }, () => {
    let api: TestApi;
    let monitorId: string;
    const rollups = new MetricRollupRepository();
    const results = new ResultRepository(rollups);
    // Two whole minutes in the past: A and B = A + 1 min.
    const A = Math.floor(Date.now() / MINUTE) * MINUTE - 3 * MINUTE;
    const B = A + MINUTE;
    const at = (t: number) => new Date(t).toISOString();
    const result = (region: string, t: number, metrics?: Record<string, number>): CheckResult => ({
      id: `res_${ulid()}`, monitor_id: monitorId, region, started_at: at(t), status: 'up', duration_ms: 4, ...(metrics ? { metrics } : {}),
    });
    /** Stores a batch the way ingest does: results and rollups in one transaction. */
    const store = async (batch: CheckResult[]) => {
      const inputs = batch.map((r) => ({ orgId: api.orgId, runnerId: null, result: r }));
      await api.database.db.transaction().execute(async (trx) => {
        const fresh = await results.insert(trx, inputs);
        await results.addRollups(trx, inputs.filter((i) => fresh.has(i.result.id)));
      });
    };

    before(async () => {
      api = await startTestApi({ backend });
      const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
      const service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id;
      const monitor = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, {
        ...bodies.monitor(service), name: 'api-health',
        http: { url: 'http://127.0.0.1:9/health', metrics: [{ name: 'utilization_pct', path: '$.pool.utilization_pct' }, { name: 'wait_count', path: '$.pool.wait_count' }] },
      });
      monitorId = monitor.id;
      assert.deepEqual(monitor.http.metrics.map((m: { name: string }) => m.name), ['utilization_pct', 'wait_count'], 'the monitor keeps its metrics');
      await new PartitionManager(api.database.db, 14).ensure(A, Date.now());
      // Minute A in us-east-1: 10, 50, then (a later batch, e.g. from a runner's spool) 30 at an earlier time.
      await store([result('us-east-1', A + 10_000, { utilization_pct: 10, wait_count: 0 }), result('us-east-1', A + 50_000, { utilization_pct: 50, wait_count: 2 }), result('eu-west-1', A + 20_000, { utilization_pct: 70 })]);
      await store([result('us-east-1', A + 30_000, { utilization_pct: 30 }), result('us-east-1', B + 5_000, { utilization_pct: 90, wait_count: 0 }), result('us-east-1', B + 6_000)]);
    });
    after(async () => api?.close());

    test('minute rollups hold min, max, sum, count and the latest value even when results arrive out of order', async () => {
      const rows = await api.database.db.selectFrom('metric_rollups').selectAll().where('monitor_id', '=', monitorId).where('metric', '=', 'utilization_pct').where('region', '=', 'us-east-1').orderBy('bucket_start').execute();
      assert.deepEqual(rows.map((r) => [new Date(r.bucket_start).getTime(), r.min, r.max, r.sum, r.count, r.last_value, new Date(r.last_at).getTime()]), [
        [A, 10, 50, 90, 3, 50, A + 50_000],
        [B, 90, 90, 90, 1, 90, B + 5_000],
      ]);
    });

    test('GET /v1/monitors/{id}/metrics: per-minute min/avg/max/last and a window summary for one region', async () => {
      const res = await api.call('GET', `/v1/monitors/${monitorId}/metrics?window=15m&region=us-east-1`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.step_seconds, 60);
      assert.equal(res.body.region, 'us-east-1');
      const util = res.body.metrics[0];
      assert.equal(util.name, 'utilization_pct');
      assert.equal(util.path, '$.pool.utilization_pct');
      assert.deepEqual(util.points, [
        { at: at(A), min: 10, avg: 30, max: 50, last: 50, count: 3 },
        { at: at(B), min: 90, avg: 90, max: 90, last: 90, count: 1 },
      ]);
      assert.deepEqual(util.summary, { count: 4, min: 10, avg: 45, max: 90, last: 90, last_at: at(B + 5_000) });
      const wait = res.body.metrics[1];
      assert.deepEqual(wait.summary, { count: 3, min: 0, avg: 2 / 3, max: 2, last: 0, last_at: at(B + 5_000) });
    });

    test('without a region, samples of every region are combined', async () => {
      const res = await api.call('GET', `/v1/monitors/${monitorId}/metrics?window=15m&metric=utilization_pct`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.region, undefined);
      assert.equal(res.body.metrics.length, 1);
      assert.deepEqual(res.body.metrics[0].points[0], { at: at(A), min: 10, avg: 40, max: 70, last: 50, count: 4 });
      assert.deepEqual(res.body.metrics[0].summary, { count: 5, min: 10, avg: 50, max: 90, last: 90, last_at: at(B + 5_000) });
    });

    test('a declared metric without samples is listed with count 0; long windows use a coarser step', async () => {
      const res = await api.call('GET', `/v1/monitors/${monitorId}/metrics?window=24h&region=eu-west-1`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.step_seconds, 240, '24 h in at most 360 steps');
      assert.deepEqual(res.body.metrics.map((m: { name: string; summary: { count: number } }) => [m.name, m.summary.count]), [['utilization_pct', 1], ['wait_count', 0]]);
      assert.deepEqual(res.body.metrics[1].points, []);
    });

    test('a window the API does not offer is refused with the parameter named; an unknown monitor is 404', async () => {
      const bad = await api.call('GET', `/v1/monitors/${monitorId}/metrics?window=2d`);
      assert.equal(bad.status, 422, JSON.stringify(bad.body));
      assert.equal(bad.body.code, 'validation_failed');
      assert.match(JSON.stringify(bad.body.errors), /window/);
      assert.match(JSON.stringify(bad.body.errors), /24h/);
      const badName = await api.call('GET', `/v1/monitors/${monitorId}/metrics?metric=Utilization`);
      assert.equal(badName.status, 422);
      const missing = await api.call('GET', '/v1/monitors/mon_01JD0000000000000000000000/metrics');
      assert.equal(missing.status, 404);
    });

    test('metricWindow: min/max/avg/last/count over the minutes a window overlaps, per region or across regions', async () => {
      const db = api.database.db;
      assert.deepEqual(await rollups.metricWindow(db, api.orgId, monitorId, 'utilization_pct', 15 * MINUTE, 'us-east-1'), { count: 4, min: 10, max: 90, avg: 45, last: 90, last_at: at(B + 5_000) });
      assert.deepEqual(await rollups.metricWindow(db, api.orgId, monitorId, 'utilization_pct', 15 * MINUTE), { count: 5, min: 10, max: 90, avg: 50, last: 90, last_at: at(B + 5_000) });
      // A "1m" window one second into the minute after B covers B only; 30 s into B it also overlaps A.
      assert.deepEqual(await rollups.metricWindow(db, api.orgId, monitorId, 'utilization_pct', MINUTE, 'us-east-1', B + MINUTE + 1_000), { count: 1, min: 90, max: 90, avg: 90, last: 90, last_at: at(B + 5_000) });
      assert.equal((await rollups.metricWindow(db, api.orgId, monitorId, 'utilization_pct', MINUTE, 'us-east-1', B + 30_000))?.count, 4);
      assert.equal(await rollups.metricWindow(db, api.orgId, monitorId, 'no_such_metric', 15 * MINUTE), undefined);
      assert.equal(await rollups.metricWindow(db, 'org_01JD0000000000000000000000', monitorId, 'utilization_pct', 15 * MINUTE), undefined, 'scoped by organization');
    });

    test('a result lists its metric values; metric_errors stay in its details', async () => {
      const r = { ...result('us-east-1', B + 7_000, { utilization_pct: 12 }), details: { metric_errors: ['wait_count: no value at $.pool.wait_count'] } };
      await store([r]);
      const page = await api.call('GET', `/v1/monitors/${monitorId}/results?limit=1`);
      assert.equal(page.body.items[0].id, r.id);
      assert.deepEqual(page.body.items[0].metrics, { utilization_pct: 12 });
      assert.deepEqual(page.body.items[0].details.metric_errors, ['wait_count: no value at $.pool.wait_count']);
    });

    test('over the runner protocol: a result with a bad metric is rejected with what to fix and adds nothing; a good one is rolled up', async () => {
      const region = unique('r');
      const service = (await api.call('GET', `/v1/monitors/${monitorId}`)).body.service_id as string;
      const m = (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(service), regions: [region], http: { url: 'http://127.0.0.1:9/health', metrics: [{ name: 'queue_depth', path: '$.queue.depth' }] } })).id as string;
      const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
      const reg = await api.call('POST', '/v1/runner/register', { token, body: { protocol_version: 1, version: 'test', capabilities: ['http'] } });
      assert.equal(reg.status, 201, JSON.stringify(reg.body));
      const runnerId = reg.body.runner_id as string;
      const poll = await api.call('GET', `/v1/runner/assignments?runner_id=${runnerId}&revision=0&wait=0`, { token });
      const assigned = poll.body.monitors.find((x: { id: string }) => x.id === m);
      assert.deepEqual(assigned?.http.metrics, [{ name: 'queue_depth', path: '$.queue.depth' }], 'the runner gets the metrics to read');
      const now = Date.now();
      const good = { id: `res_${ulid()}`, monitor_id: m, region, started_at: at(now), status: 'up', duration_ms: 3, metrics: { queue_depth: 7 } };
      const bad = { id: `res_${ulid()}`, monitor_id: m, region, started_at: at(now + 1), status: 'up', duration_ms: 3, metrics: { 'Queue-Depth': 7, big: 1e16 } };
      const pushed = await api.call('POST', '/v1/runner/results', { token, body: { runner_id: runnerId, results: [good, bad] } });
      assert.equal(pushed.status, 200, JSON.stringify(pushed.body));
      assert.deepEqual(pushed.body.accepted, [good.id]);
      assert.equal(pushed.body.rejected.length, 1);
      assert.equal(pushed.body.rejected[0].code, 'invalid_result');
      assert.match(pushed.body.rejected[0].message, /Queue-Depth.*lower-case letters/);
      assert.match(pushed.body.rejected[0].message, /\/metrics\/big/);
      assert.deepEqual(await rollups.metricWindow(api.database.db, api.orgId, m, 'queue_depth', 5 * MINUTE, region), { count: 1, min: 7, max: 7, avg: 7, last: 7, last_at: at(now) });
      const stored = await api.database.db.selectFrom('check_results').select('id').where('monitor_id', '=', m).execute();
      assert.deepEqual(stored.map((r) => r.id), [good.id], 'the rejected result is not stored');
    });

    test('metric rollups expire with the minute latency rollups (8 days)', async () => {
      // Eight days after minute B began: minute A is older than 8 days, minute B is not yet.
      await new PartitionManager(api.database.db, 14).maintain(B + 8 * 86_400_000);
      const left = await api.database.db.selectFrom('metric_rollups').select(['bucket_start', 'metric', 'region']).where('monitor_id', '=', monitorId).orderBy('metric').execute();
      assert.deepEqual(left.map((r) => [new Date(r.bucket_start).getTime(), r.metric, r.region]), [[B, 'utilization_pct', 'us-east-1'], [B, 'wait_count', 'us-east-1']]);
    });
  });
}
