import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketIndex, latencyBucketCount } from '../src/contract/latency-buckets.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// Latency anomaly rules on PostgreSQL over a synthetic history of per-minute rollups: a monitor
// answering at 4× its learnt baseline fires anomalous(...) and latency_ratio(...) > 3; one whose
// history is too short is still warming up, so nothing fires and its status says so.

const MINUTE = 60_000;

describe('latency anomaly rules on postgres', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let team: { id: string; name: string };
  let service: { id: string };
  before(async () => {
    api = await startTestApi({ backend: 'postgres', app: { alertTickMs: 600_000 } });
    team = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') });
    service = await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team.id));
  });
  after(async () => api?.close());

  /** Minute rollups of `checks` checks at `ms` each, for the minutes [fromMinutesAgo, toMinutesAgo). */
  async function history(monitorId: string, ms: number, fromMinutesAgo: number, toMinutesAgo: number): Promise<void> {
    const now = Math.floor(Date.now() / MINUTE) * MINUTE;
    const histogram = new Array<number>(latencyBucketCount).fill(0);
    histogram[bucketIndex(ms)] = 4;
    const rows = [];
    for (let m = fromMinutesAgo; m > toMinutesAgo; m--) {
      rows.push({ org_id: api.orgId, monitor_id: monitorId, region: 'us-east-1', resolution: 'minute' as const, bucket_start: new Date(now - (m - 1) * MINUTE), checks: 4, up: 4, degraded: 0, down: 0, sum_ms: 4 * ms, max_ms: ms, histogram });
    }
    for (let i = 0; i < rows.length; i += 500) await api.database.db.insertInto('result_rollups').values(rows.slice(i, i + 500)).execute();
  }

  const monitor = async () => (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, bodies.monitor(service.id))) as { id: string; name: string };
  const rule = async (expression: string) => (await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { name: unique('rule'), team_id: team.id, expression })).id as string;
  const alerts = async (ruleId: string) => (await api.call('GET', `/v1/alerts?rule_id=${ruleId}`)).body.items as Array<{ state: string; value: number | null }>;

  test('4× the baseline p95 while far under the timeout: anomalous and latency_ratio > 3 fire', async () => {
    const m = await monitor();
    await history(m.id, 100, 5 * 60, 6); // five hours at 100 ms, ending six minutes ago
    await history(m.id, 400, 5, 0); // the last five minutes at 400 ms
    const anomalous = await rule(`anomalous(monitor("${m.name}"))`);
    const ratio = await rule(`latency_ratio(monitor("${m.name}"), "5m") > 3`);
    for (const id of [anomalous, ratio]) await api.app.alerts.evaluateRule(api.orgId, id);
    assert.equal((await alerts(anomalous))[0]?.state, 'firing');
    const [r] = await alerts(ratio);
    assert.equal(r?.state, 'firing');
    assert.ok(r!.value! > 3 && r!.value! < 5, `ratio ${r!.value}`);
  });

  test('the same slowdown with one hour of history is still warming up: nothing fires, the status says warming_up', async () => {
    const m = await monitor();
    await history(m.id, 100, 60, 6);
    await history(m.id, 400, 5, 0);
    const anomalous = await rule(`anomalous(monitor("${m.name}"))`);
    await api.app.alerts.evaluateRule(api.orgId, anomalous);
    assert.deepEqual(await alerts(anomalous), []);
    const status = (await api.call('GET', `/v1/alert-rules/${anomalous}/status`)).body;
    assert.ok(status.last_evaluated_at);
    assert.equal(status.error, null);
    assert.equal(status.no_data_reason, 'warming_up', 'the status says why the rule cannot fire yet');
  });
});
