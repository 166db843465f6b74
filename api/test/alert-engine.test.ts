import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { listenLoopback, startRunnerProcess, waitFor, type Proc } from '../../scripts/test/support/processes.ts';
import { startTestApi, postgresSkip, type Backend, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';

// The alert engine end to end on PostgreSQL: a real runner process checks a local HTTP target; the
// target flips from 200 to a slow 500 and back; results come in through the runner protocol, state
// transitions reach the alert evaluator through the event log, and the alerts show on the API and
// on /metrics. On PostgreSQL and on the embedded database (what `npm start` uses).

for (const [backend, skip] of [['postgres', postgresSkip()], ['pglite', false]] as Array<[Backend, string | false]>) {
  describe(`alert engine on ${backend}`, { skip }, () => {
    let api: TestApi;
    let target: Server;
    let targetUrl: string;
    let runner: Proc | undefined;
    let healthy = true;
    const region = unique('r');
    let team: { id: string; name: string };
    let service: { id: string; name: string };
    const monitors: Record<'a' | 'b', { id: string; name: string }> = {} as never;
    const rules: Record<string, string> = {};

    const alertsOf = async (ruleId: string) => (await api.call('GET', `/v1/alerts?rule_id=${ruleId}`)).body.items as Array<Record<string, any>>;
    const stateOf = async (id: string) => (await api.call('GET', `/v1/monitors/${id}/state`)).body.state as string;
    const rule = async (name: string, body: Record<string, unknown>) => {
      rules[name] = (await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { name: unique(name), team_id: team.id, ...body })).id;
    };

    before(async () => {
      target = createServer((req, res) => {
        // Unhealthy: a slow 500 (1.5 s, far above a healthy answer even from a cold runner on a busy
      // machine), so both the state rules and the latency rule have something to see.
        if (healthy) res.writeHead(200).end('ok');
        else setTimeout(() => res.writeHead(500).end('broken'), 1_500);
      });
      targetUrl = await listenLoopback(target);
      api = await startTestApi({ backend, app: { alertTickMs: 1_000, consumerSettings: { pollMs: 200 } } });
      team = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('fulfillment') });
      service = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('checkout'), team_id: team.id });
      for (const key of ['a', 'b'] as const) {
        monitors[key] = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, {
          name: unique(`api-${key}`), service_id: service.id, type: 'http', interval_seconds: 5, timeout_seconds: 3, failure_threshold: 1, recovery_threshold: 1,
          regions: [region], tags: { tier: '1' }, http: { url: `${targetUrl}/${key}` }, assertions: [{ source: 'status_code', operator: 'equals', target: '200' }],
        });
      }
      await rule('down-now', { expression: `down(monitor("${monitors.a.name}"))`, for_duration: '0s', severity: 'critical', labels: { component: 'api' }, runbook_url: 'https://runbooks.example.com/api' });
      await rule('down-10s', { expression: `down(monitor("${monitors.a.name}"))`, for_duration: '10s', severity: 'warning' });
      await rule('tier1', { expression: 'down(monitors(tag="tier:1"))', severity: 'error' });
      await rule('slow', { expression: `p95(monitor("${monitors.a.name}"), "5m") > 1000`, severity: 'warning' });
      const slo = await expectOk(api, 'POST', '/v1/slos', api.adminToken, { name: unique('api-availability'), team_id: team.id, monitor_id: monitors.a.id, objective: 'uptime', target_percent: 99.9, window: 'rolling_30d' });
      await rule('burn', { expression: `burn_rate(slo("${slo.name}"), "5m") > 14.4`, severity: 'critical' });
      const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
      runner = startRunnerProcess(api.url, token, { PHAROS_REGION: region });
      await waitFor('both monitors to be up', 60_000, async () => (await stateOf(monitors.a.id)) === 'up' && (await stateOf(monitors.b.id)) === 'up');
    });

    after(async () => {
      await runner?.stop();
      await api?.close();
      await new Promise((r) => target?.close(r));
    });

    test('while everything is up, no rule has an alert and each rule has been evaluated without error', async () => {
      await waitFor('every rule evaluated', 10_000, async () => {
        for (const id of Object.values(rules)) if (!(await api.call('GET', `/v1/alert-rules/${id}/status`)).body.last_evaluated_at) return false;
        return true;
      });
      for (const id of Object.values(rules)) {
        const status = (await api.call('GET', `/v1/alert-rules/${id}/status`)).body;
        assert.equal(status.error, null, JSON.stringify(status));
        assert.deepEqual(status.instances, []);
      }
    });

    test('the target fails: for 0s fires right after ingest, for 10s is pending first, the selector has two alerts, the p95 and burn-rate rules fire', async () => {
      healthy = false;
      const firing = await waitFor('the for: 0s alert to fire', 20_000, async () => (await alertsOf(rules['down-now']!)).find((a) => a.state === 'firing'));
      assert.equal(firing.labels.monitor, monitors.a.name);
      assert.equal(firing.labels.service, service.name);
      assert.equal(firing.labels.team, team.name);
      assert.equal(firing.labels.severity, 'critical');
      assert.equal(firing.labels.component, 'api');
      assert.equal(firing.annotations.runbook_url, 'https://runbooks.example.com/api');
      // From the commit of the first failing result to the alert's firing time.
      const first = await api.database.db.selectFrom('check_results').select(['received_at']).where('monitor_id', '=', monitors.a.id).where('status', '=', 'down').orderBy('received_at').executeTakeFirstOrThrow();
      const lagMs = Date.parse(firing.firing_since) - new Date(first.received_at).getTime();
      console.log(`ingest → firing: ${lagMs} ms`);
      assert.ok(lagMs >= 0 && lagMs < 1_000, `fired ${lagMs} ms after the failing result was stored`);

      const pending = (await alertsOf(rules['down-10s']!))[0];
      assert.equal(pending?.state, 'pending', 'for: 10s holds the alert pending first');
      const firedLater = await waitFor('the for: 10s alert to fire', 25_000, async () => (await alertsOf(rules['down-10s']!)).find((a) => a.state === 'firing'));
      assert.ok(Date.parse(firedLater.firing_since) - Date.parse(firedLater.active_since) >= 10_000);

      const tier1 = await waitFor('one alert per tier-1 monitor', 20_000, async () => {
        const list = (await alertsOf(rules.tier1!)).filter((a) => a.state === 'firing');
        return list.length === 2 && list;
      });
      assert.deepEqual(tier1.map((a) => a.labels.monitor).sort(), [monitors.a.name, monitors.b.name].sort());
      const byLabel = (await api.call('GET', `/v1/alerts?rule_id=${rules.tier1}&label=monitor:${monitors.b.name}`)).body.items;
      assert.equal(byLabel.length, 1, 'label=k:v filters');

      const slow = await waitFor('the p95 rule to fire', 20_000, async () => (await alertsOf(rules.slow!)).find((a) => a.state === 'firing'));
      assert.ok(slow.value > 1000, `p95 ${slow.value} ms`);

      // A few seconds down in minutes of uptime spend a 99.9 % budget far faster than 14.4×.
      const burning = await waitFor('the burn-rate rule to fire', 20_000, async () => (await alertsOf(rules.burn!)).find((a) => a.state === 'firing'));
      assert.ok(burning.value > 14.4, `burn rate ${burning.value}`);

      const critical = (await api.call('GET', '/v1/alerts?state=firing&severity=critical')).body.items.map((a: { id: string }) => a.id);
      assert.ok(critical.includes(firing.id));
      assert.ok(!critical.includes(firedLater.id), 'severity filters');

      const metrics = await (await fetch(`${api.url}/metrics`)).text();
      assert.match(metrics, new RegExp(`pharos_alerts_firing\\{severity="critical",team="${team.name}"\\} 2`));
      assert.match(metrics, new RegExp(`pharos_monitor_state\\{monitor="${monitors.a.name}",service="${service.name}",team="${team.name}",state="down"\\} 1`));
      assert.match(metrics, new RegExp(`pharos_service_state\\{service="${service.name}",team="${team.name}",state="down"\\} 1`));
      assert.match(metrics, /pharos_alert_evaluation_seconds_count [1-9]/);
    });

    test('disabling a rule resolves its firing alerts, and the resolution is recorded', async () => {
      await api.call('PATCH', `/v1/alert-rules/${rules.tier1}`, { body: { enabled: false } });
      const resolved = await waitFor('the disabled rule\'s alerts to resolve', 15_000, async () => {
        const list = await alertsOf(rules.tier1!);
        return list.length === 2 && list.every((a) => a.state === 'resolved') && list;
      });
      const detail = (await api.call('GET', `/v1/alerts/${resolved[0]!.id}`)).body;
      assert.deepEqual(detail.history.map((h: { to: string; reason: string }) => `${h.to}:${h.reason}`), ['firing:condition_met', 'resolved:rule_disabled']);
    });

    test('the target recovers: the alerts resolve, with their history', async () => {
      healthy = true;
      const resolved = await waitFor('the for: 0s alert to resolve', 20_000, async () => (await alertsOf(rules['down-now']!)).find((a) => a.state === 'resolved'));
      const detail = (await api.call('GET', `/v1/alerts/${resolved.id}`)).body;
      assert.deepEqual(detail.history.map((h: { from: string; to: string }) => `${h.from}→${h.to}`), ['inactive→firing', 'firing→resolved']);
      assert.ok(detail.resolved_at);
      const later = (await alertsOf(rules['down-10s']!))[0]!;
      const history = (await api.call('GET', `/v1/alerts/${later.id}`)).body.history.map((h: { to: string }) => h.to);
      assert.deepEqual(history, ['pending', 'firing', 'resolved']);
      const status = (await api.call('GET', `/v1/alert-rules/${rules['down-now']}/status`)).body;
      assert.equal(status.error, null);
      assert.equal(status.instances[0].state, 'resolved');
      // Each change of state is also an event in the log, for routing to read.
      const events = await api.database.db.selectFrom('events').select(['payload']).where('kind', '=', 'alert.state_changed').execute();
      const ofRule = events.map((e) => e.payload as { rule_id: string; to: string }).filter((p) => p.rule_id === rules['down-now']);
      assert.deepEqual(ofRule.map((p) => p.to), ['firing', 'resolved']);
      const durations = await api.database.db.selectFrom('alert_rule_status').select('duration_ms').execute();
      console.log(`rule evaluation on ${backend}: ${durations.map((d) => d.duration_ms.toFixed(1)).join(', ')} ms (last evaluation of each rule)`);
    });

    test('an unknown alert answers 404 problem+json; a bad label filter answers 400/422 and says what to write', async () => {
      const missing = await api.call('GET', '/v1/alerts/alt_01JD8Z3Q4M5N6P7R8S9T0VWXYZ');
      assert.equal(missing.status, 404);
      assert.equal(missing.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      const bad = await api.call('GET', '/v1/alerts?label=nocolon');
      assert.ok(bad.status === 400 || bad.status === 422, String(bad.status));
      assert.match(JSON.stringify(bad.body), /key:value/);
    });
  });
}
