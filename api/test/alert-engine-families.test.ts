import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { listenLoopback, startRunnerProcess, waitFor, type Proc } from '../../scripts/test/support/processes.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';

// More function families through the whole path on PostgreSQL: health-endpoint metrics reported by
// a real runner process fire metric rules; when the runner is killed the region has no runner and
// unknown(...) fires; with a live runner that stops reporting, no_data(...) fires.

describe('alert engine: metrics and no data', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let target: Server;
  let runner: Proc | undefined;
  const pool = { utilization_pct: 40, wait_count: 0 };
  const rules: Record<string, string> = {};
  let monitor: { id: string; name: string };
  const region = unique('r');

  const firing = (name: string) => async () => (await api.call('GET', `/v1/alerts?rule_id=${rules[name]}&state=firing`)).body.items[0];

  before(async () => {
    target = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', pool })));
    const url = await listenLoopback(target);
    api = await startTestApi({ backend: 'postgres', app: { alertTickMs: 1_000, runner: { leaseSeconds: 3, recheckMs: 100 } } });
    const team = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') });
    const service = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('orders'), team_id: team.id });
    monitor = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, {
      name: unique('api-health'), service_id: service.id, type: 'http', interval_seconds: 5, timeout_seconds: 2, regions: [region],
      http: { url: `${url}/health`, metrics: [{ name: 'utilization_pct', path: '$.pool.utilization_pct' }, { name: 'wait_count', path: '$.pool.wait_count' }] },
      assertions: [{ source: 'status_code', operator: 'equals', target: '200' }],
    });
    const rule = async (name: string, expression: string, severity: string) => {
      rules[name] = (await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { name: unique(name), team_id: team.id, expression, severity })).id;
    };
    await rule('utilization', `metric(monitor("${monitor.name}"), "utilization_pct") > 80`, 'warning');
    await rule('waiting', `max(metric(monitor("${monitor.name}"), "wait_count"), "1m") > 0`, 'critical');
    await rule('silent', `no_data(monitor("${monitor.name}"))`, 'error');
    await rule('unknown', `unknown(monitor("${monitor.name}"))`, 'error');
    const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
    runner = startRunnerProcess(api.url, token, { PHAROS_REGION: region });
    await waitFor('the monitor to be up', 60_000, async () => (await api.call('GET', `/v1/monitors/${monitor.id}/state`)).body.state === 'up');
  });

  after(async () => {
    await runner?.stop();
    await api?.close();
    await new Promise((r) => target?.close(r));
  });

  test('a healthy pool fires nothing; a full one fires both metric rules with the reported values, kept current while firing', async () => {
    await waitFor('the metric rules to be evaluated with data', 15_000, async () => {
      const s = (await api.call('GET', `/v1/alert-rules/${rules.utilization}/status`)).body;
      return s.last_evaluated_at && s.error === null;
    });
    assert.equal(await firing('utilization')(), undefined);
    assert.equal(await firing('waiting')(), undefined);
    pool.utilization_pct = 95;
    pool.wait_count = 3;
    const utilization = await waitFor('utilization_pct > 80 to fire', 20_000, firing('utilization'));
    assert.equal(utilization.value, 95);
    pool.utilization_pct = 97;
    const moved = await waitFor('the firing alert to show the new value', 20_000, async () => {
      const a = await firing('utilization')();
      return a?.value === 97 && a;
    });
    assert.equal(moved.id, utilization.id, 'the same alert, still firing');
    const waiting = await waitFor('wait_count > 0 to fire', 20_000, firing('waiting'));
    assert.equal(waiting.value, 3);
    assert.equal(waiting.labels.severity, 'critical');
    assert.equal(await firing('silent')(), undefined, 'a reporting monitor has data');
  });

  test('the runner is killed: unknown(...) fires (no live runner), no_data(...) does not', async () => {
    await runner!.kill();
    runner = undefined;
    const alert = await waitFor('unknown(...) to fire', 30_000, firing('unknown'));
    assert.equal(alert.labels.monitor, monitor.name);
    const state = (await api.call('GET', `/v1/monitors/${monitor.id}/state`)).body;
    assert.equal(state.regions[0].cause, 'no_runner');
    assert.equal(await firing('silent')(), undefined, 'no_data is for a live runner whose results stop, not for no runner at all');
  });

  test('a runner that polls but never reports: the slot goes to no data and no_data(...) fires', async () => {
    const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
    const registered = await api.call('POST', '/v1/runner/register', { token, body: { protocol_version: 1, version: 'test', capabilities: ['http'] } });
    assert.equal(registered.status, 201);
    let revision = 0;
    let polling = true;
    // Keeps the lease (3 s) by polling every 500 ms; bounded to a minute.
    const poller = (async () => {
      for (let i = 0; polling && i < 120; i++) {
        const res = await api.call('GET', `/v1/runner/assignments?runner_id=${registered.body.runner_id}&revision=${revision}&wait=0`, { token });
        if (res.status === 200) revision = res.body.revision;
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    try {
      const alert = await waitFor('no_data(...) to fire', 40_000, firing('silent'));
      assert.equal(alert.labels.monitor, monitor.name);
      const state = (await api.call('GET', `/v1/monitors/${monitor.id}/state`)).body;
      assert.equal(state.regions[0].cause, 'no_data');
    } finally {
      polling = false;
      await poller;
    }
  });
});
