import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { listenLoopback, startRunnerProcess, waitFor, type Proc } from '../../scripts/test/support/processes.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';

// What reaches the alert evaluator through the event log besides state transitions, with the
// periodic tick out of the way (10 min): a rule that is created or changed is evaluated as soon as
// the write commits, and results carrying health metrics re-evaluate the metric rules of their
// monitor although no state changed.

describe('alert evaluation triggered by rule changes and recorded metrics', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let target: Server;
  let runner: Proc | undefined;
  const pool = { utilization_pct: 40 };
  const region = unique('r');
  let team: { id: string };
  let broken: { id: string; name: string };
  let health: { id: string; name: string };

  const alertsOf = async (ruleId: string) => (await api.call('GET', `/v1/alerts?rule_id=${ruleId}`)).body.items as Array<Record<string, any>>;
  const stateOf = async (id: string) => (await api.call('GET', `/v1/monitors/${id}/state`)).body.state as string;

  before(async () => {
    target = createServer((req, res) => {
      if (req.url === '/broken') return void res.writeHead(500).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ pool }));
    });
    const url = await listenLoopback(target);
    api = await startTestApi({ backend: 'postgres', app: { alertTickMs: 600_000, consumerSettings: { pollMs: 200 } } });
    team = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') });
    const service = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('orders'), team_id: team.id });
    const monitor = (name: string, path: string, extra: Record<string, unknown> = {}) =>
      expectOk(api, 'POST', '/v1/monitors', api.adminToken, {
        name: unique(name), service_id: service.id, type: 'http', interval_seconds: 5, timeout_seconds: 2, failure_threshold: 1, recovery_threshold: 1, regions: [region],
        http: { url: `${url}${path}`, ...extra }, assertions: [{ source: 'status_code', operator: 'equals', target: '200' }],
      });
    broken = await monitor('broken', '/broken');
    health = await monitor('api-health', '/health', { metrics: [{ name: 'utilization_pct', path: '$.pool.utilization_pct' }] });
    const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
    runner = startRunnerProcess(api.url, token, { PHAROS_REGION: region });
    await waitFor('one monitor down, one up', 60_000, async () => (await stateOf(broken.id)) === 'down' && (await stateOf(health.id)) === 'up');
  });

  after(async () => {
    await runner?.stop();
    await api?.close();
    await new Promise((r) => target?.close(r));
  });

  test('a rule created over a monitor that is already down fires within a second of its creation; disabling it resolves its alert as promptly', async () => {
    const created = Date.now();
    const rule = await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { name: unique('down'), team_id: team.id, expression: `down(monitor("${broken.name}"))`, for_duration: '0s' });
    const firing = await waitFor('the new rule\'s alert to fire', 10_000, async () => (await alertsOf(rule.id)).find((a) => a.state === 'firing'), 50);
    assert.ok(Date.parse(firing.firing_since) - created < 1_500, `fired ${Date.parse(firing.firing_since) - created} ms after the rule was created`);
    const disabled = Date.now();
    await expectOk(api, 'PATCH', `/v1/alert-rules/${rule.id}`, api.adminToken, { enabled: false });
    const resolved = await waitFor('the disabled rule\'s alert to resolve', 10_000, async () => (await alertsOf(rule.id)).find((a) => a.state === 'resolved'), 50);
    assert.ok(Date.parse(resolved.resolved_at) - disabled < 1_500, `resolved ${Date.parse(resolved.resolved_at) - disabled} ms after the rule was disabled`);
  });

  test('a health metric crossing its threshold fires its rule from the recorded results, while the monitor stays up', async () => {
    const rule = await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { name: unique('pool'), team_id: team.id, expression: `metric(monitor("${health.name}"), "utilization_pct") > 80`, for_duration: '0s' });
    await waitFor('the metric rule to be evaluated', 10_000, async () => (await api.call('GET', `/v1/alert-rules/${rule.id}/status`)).body.last_evaluated_at, 50);
    assert.equal((await alertsOf(rule.id)).length, 0);
    pool.utilization_pct = 95;
    const firing = await waitFor('the metric rule to fire', 20_000, async () => (await alertsOf(rule.id)).find((a) => a.state === 'firing'), 100);
    assert.equal(firing.value, 95);
    assert.equal(await stateOf(health.id), 'up');
    const sample = await api.database.db.selectFrom('check_results').select('received_at').where('monitor_id', '=', health.id).orderBy('received_at', 'desc').executeTakeFirstOrThrow();
    assert.ok(Date.parse(firing.firing_since) - new Date(sample.received_at).getTime() < 1_000, 'fired right after the result that carried the value');
  });
});
