import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { monotonicFactory } from 'ulid';
import { waitFor } from '../../scripts/test/support/processes.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';

// `edge("a", "b")` end to end on PostgreSQL: names resolve among the rule team's edges (422 with
// close names otherwise) and are stored so the edge and its services cannot be deleted, renamed or
// re-pointed under the rule (409); a rule over the edge's state fires from the edge's state
// transition (the periodic tick is out of the way, 10 min) and resolves when it heals, labelled with
// the edge and carrying subject {kind: 'edge', id} in its events; windows read the monitors that
// check the edge. Results are pushed by a runner simulated over the runner protocol.

const ulid = monotonicFactory();

describe('alert rules over dependency edges', { skip: postgresSkip() }, () => {
  let api: TestApi;
  const region = unique('r');
  let runner: SimulatedRunner;
  let fulfillment: { id: string; name: string };
  let shipping: { id: string; name: string };
  let from: { id: string; name: string };
  let to: { id: string; name: string };
  let other: { id: string; name: string };
  let spare: { id: string; name: string };
  let edgeId: string;
  let reach: { id: string; name: string };
  let reachPayments: { id: string; name: string };
  let health: { id: string; name: string };

  const patch = (path: string, body: unknown) => api.call('PATCH', path, { body, headers: { 'content-type': 'application/merge-patch+json' } });
  const rule = (teamId: string, expression: string) => ({ name: unique('edge-rule'), team_id: teamId, expression, for_duration: '0s', severity: 'critical' });
  const alertsOf = async (ruleId: string) => (await api.call('GET', `/v1/alerts?rule_id=${ruleId}`)).body.items as Array<Record<string, any>>;
  const references = async (ruleId: string) =>
    (await api.database.db.selectFrom('alert_rule_references').select(['subject_type', 'subject_id']).where('rule_id', '=', ruleId).execute()).map((r) => `${r.subject_type}:${r.subject_id}`).sort();
  const alertEvents = async (ruleId: string) =>
    (await api.database.db.selectFrom('events').select(['payload']).where('kind', '=', 'alert.state_changed').orderBy('seq').execute())
      .map((e) => e.payload as { rule_id: string; from: string; to: string; labels: Record<string, string>; subject?: { kind: string; id: string } })
      .filter((p) => p.rule_id === ruleId);
  const push = async (monitorId: string, status: 'up' | 'down') => {
    const body = { runner_id: runner.id, results: [{ id: `res_${ulid()}`, monitor_id: monitorId, region, started_at: new Date().toISOString(), status, duration_ms: 40, ...(status === 'down' ? { error: { code: 'connect_refused', message: 'connection refused' } } : {}) }] };
    const res = await api.call('POST', '/v1/runner/results', { token: runner.token, body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.accepted.length, 1, JSON.stringify(res.body));
  };
  const serviceState = async () => (await api.database.db.selectFrom('service_states').select('state').where('service_id', '=', from.id).executeTakeFirst())?.state;
  const edgeState = async () => (await api.database.db.selectFrom('edge_states').select('state').where('dependency_id', '=', edgeId).executeTakeFirst())?.state;
  const monitorBody = (name: string, extra: Record<string, unknown> = {}) => ({ ...bodies.monitor(from.id), name, interval_seconds: 5, timeout_seconds: 1, failure_threshold: 1, recovery_threshold: 1, regions: [region], ...extra });

  before(async () => {
    api = await startTestApi({ backend: 'postgres', app: { alertTickMs: 600_000, consumerSettings: { pollMs: 100 } } });
    fulfillment = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('fulfillment') });
    shipping = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('shipping') });
    from = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('fulfillment-api'), team_id: fulfillment.id, tags: { tier: '1' } });
    other = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('payments'), team_id: shipping.id });
    spare = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('carrier-api'), team_id: shipping.id });
    // The service depended on belongs to another team: an edge is its dependent service's team's.
    to = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('shipping-integration'), team_id: shipping.id });
    edgeId = (await expectOk(api, 'POST', `/v1/services/${from.id}/dependencies`, api.adminToken, { depends_on_service_id: to.id })).id;
    const toPayments = (await expectOk(api, 'POST', `/v1/services/${from.id}/dependencies`, api.adminToken, { depends_on_service_id: other.id })).id;
    reach = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, monitorBody(unique('reach-shipping'), { dependency_id: edgeId }));
    health = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, monitorBody(unique('health')));
    reachPayments = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, monitorBody(unique('reach-payments'), { dependency_id: toPayments }));
    runner = await registerRunner(api, (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region, labels: {} })).token as string);
    await pollRunner(api, runner);
    await api.app.settle();
  });
  after(async () => api?.close());

  test('edge("a", "b") resolves among the rule team\'s edges and stores the edge and both services; unknown names answer 422 with close names', async () => {
    const created = await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, rule(fulfillment.id, `down(edge("${from.name}", "${to.name}"))`));
    assert.deepEqual(await references(created.id), [`edge:${edgeId}`, `service:${from.id}`, `service:${to.id}`].sort());

    const typoTarget = await api.call('POST', '/v1/alert-rules', { body: rule(fulfillment.id, `down(edge("${from.name}", "${to.name.replace('integration', 'integraton')}"))`) });
    assert.equal(typoTarget.status, 422, JSON.stringify(typoTarget.body));
    assert.equal(typoTarget.body.code, 'validation_failed');
    assert.deepEqual([typoTarget.body.errors[0].pointer, typoTarget.body.errors[0].line, typoTarget.body.errors[0].column], ['/expression', 1, 6]);
    assert.match(typoTarget.body.errors[0].message, new RegExp(`service "${from.name}" does not depend on ".*integraton.*"; it depends on .*Did you mean "${to.name}"\\?`));

    const typoFrom = await api.call('POST', '/v1/alert-rules', { body: rule(fulfillment.id, `down(service("${from.name}")) or down(edge("${from.name.replace('fulfillment', 'fulfilment')}", "${to.name}"))`) });
    assert.equal(typoFrom.status, 422, JSON.stringify(typoFrom.body));
    assert.equal(typoFrom.body.errors[0].column, 27 + from.name.length);
    assert.match(typoFrom.body.errors[0].message, new RegExp(`no service ".*fulfilment.*" of team "${fulfillment.name}" has dependencies .*Did you mean "${from.name}"\\?`));

    // The shipping team cannot name fulfillment's edge (nor learn that it exists).
    const otherTeam = await api.call('POST', '/v1/alert-rules', { body: rule(shipping.id, `down(edge("${from.name}", "${to.name}"))`) });
    assert.equal(otherTeam.status, 422, JSON.stringify(otherTeam.body));
    assert.match(otherTeam.body.errors[0].message, new RegExp(`no service "${from.name}" of team "${shipping.name}" has dependencies.*Team "${shipping.name}" has no dependency edges yet\\.`));
    assert.equal((await api.call('GET', `/v1/alert-rules?team_id=${shipping.id}`)).body.items.length, 0, 'nothing stored');
    await expectOk(api, 'DELETE', `/v1/alert-rules/${created.id}`, api.adminToken);
  });

  test('while a rule names the edge, deleting or re-pointing the edge and renaming either service answer 409 listing the rule; nothing changes', async () => {
    const named = await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, rule(fulfillment.id, `uptime(edge("${from.name}", "${to.name}"), "5m") < 99`));
    const refused = [
      await api.call('DELETE', `/v1/services/${from.id}/dependencies/${edgeId}`),
      await api.call('PUT', `/v1/services/${from.id}/dependencies/${edgeId}`, { body: { depends_on_service_id: spare.id } }),
      await patch(`/v1/services/${to.id}`, { name: unique('renamed') }),
      await patch(`/v1/services/${from.id}`, { name: unique('renamed') }),
      await api.call('DELETE', `/v1/services/${to.id}?cascade=true`),
    ];
    for (const res of refused) {
      assert.equal(res.status, 409, JSON.stringify(res.body));
      assert.equal(res.body.code, 'conflict');
      assert.ok(res.body.conflicts.some((c: { type: string; id: string }) => c.type === 'alert_rule' && c.id === named.id), JSON.stringify(res.body));
    }
    assert.match(refused[0]!.body.detail, new RegExp(`Edge "${from.name} → ${to.name}" is named by 1 alert rule\\(s\\).*deleting it would leave them naming nothing`));
    assert.match(refused[1]!.body.detail, /pointing it at another service would leave their expressions naming an edge that no longer exists/);
    const edge = await api.call('GET', `/v1/services/${from.id}/dependencies/${edgeId}`);
    assert.equal(edge.status, 200);
    assert.equal(edge.body.depends_on_service_id, to.id, 'the edge still points where it did');
    assert.equal((await api.call('GET', `/v1/services/${to.id}`)).body.name, to.name);
    await expectOk(api, 'DELETE', `/v1/alert-rules/${named.id}`, api.adminToken);
  });

  test('down(edge(...)) fires from the edge\'s state transition and resolves when it heals, labelled with the edge, its events carrying subject {kind: edge, id}', async (t) => {
    const created = await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, rule(fulfillment.id, `down(edge("${from.name}", "${to.name}"))`));
    await waitFor('the new rule to be evaluated', 10_000, async () => (await api.call('GET', `/v1/alert-rules/${created.id}/status`)).body.last_evaluated_at, 50);
    const status = (await api.call('GET', `/v1/alert-rules/${created.id}/status`)).body;
    assert.equal(status.no_data_reason, 'unknown_input', 'an edge no result has reached yet is unknown: no data, not false');
    assert.deepEqual(await alertsOf(created.id), []);

    // The dependent service is already down on its own health, so cutting the edge changes no
    // monitor or service a rule names: only the edge's own transition can trigger the evaluation.
    await push(health.id, 'down');
    await waitFor('the service to be down', 10_000, async () => (await serviceState()) === 'down', 50);
    await api.app.settle();
    const cut = Date.now();
    await push(reach.id, 'down');
    assert.equal(await edgeState(), 'down');
    const firing = await waitFor('the edge rule to fire', 10_000, async () => (await alertsOf(created.id)).find((a) => a.state === 'firing'), 50);
    assert.ok(Date.parse(firing.firing_since) - cut < 3_000, `fired ${Date.parse(firing.firing_since) - cut} ms after the edge went down (from its event, not the 10 min tick)`);
    t.diagnostic(`edge rule fired ${Date.parse(firing.firing_since) - cut} ms after the failing result was pushed`);
    assert.equal(firing.labels.service, from.name);
    assert.equal(firing.labels.depends_on, to.name);
    assert.equal(firing.labels.edge, `${from.name} → ${to.name}`);
    assert.equal(firing.labels.team, fulfillment.name);
    assert.equal(firing.labels.tier, '1', 'the dependent service\'s tags label the alert');
    const instance = await api.database.db.selectFrom('alert_instances').select(['subject_kind', 'subject_id']).where('rule_id', '=', created.id).executeTakeFirstOrThrow();
    assert.deepEqual(instance, { subject_kind: 'edge', subject_id: edgeId });

    const healed = Date.now();
    await push(reach.id, 'up');
    assert.equal(await edgeState(), 'up');
    assert.equal(await serviceState(), 'down', 'the service stays down on its health');
    const resolved = await waitFor('the edge rule to resolve', 10_000, async () => (await alertsOf(created.id)).find((a) => a.state === 'resolved'), 50);
    assert.ok(Date.parse(resolved.resolved_at) - healed < 3_000, `resolved ${Date.parse(resolved.resolved_at) - healed} ms after the edge healed`);
    t.diagnostic(`edge rule resolved ${Date.parse(resolved.resolved_at) - healed} ms after the healing result was pushed`);
    const events = await alertEvents(created.id);
    assert.deepEqual(events.map((e) => `${e.from}→${e.to}`), ['inactive→firing', 'firing→resolved']);
    for (const e of events) {
      assert.deepEqual(e.subject, { kind: 'edge', id: edgeId });
      assert.equal(e.labels.edge, `${from.name} → ${to.name}`);
    }
    await expectOk(api, 'DELETE', `/v1/alert-rules/${created.id}`, api.adminToken);
    await push(health.id, 'up');
  });

  test('windows over an edge read the monitors that check it, not the service\'s other monitors', async () => {
    await push(reach.id, 'down');
    await push(health.id, 'up');
    const measured = async (expression: string) => {
      const created = await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, rule(fulfillment.id, expression));
      // The evaluation the periodic tick runs for every rule.
      await api.app.alerts.evaluateRule(api.orgId, created.id);
      return (await alertsOf(created.id)).find((a) => a.state === 'firing');
    };
    // reach-shipping (the edge's monitor): down, up, down; health: down, up, up.
    const edge = await measured(`error_rate(edge("${from.name}", "${to.name}"), "5m") > 0%`);
    assert.ok(edge, 'the edge\'s error rate fires');
    assert.ok(Math.abs(edge.value - 200 / 3) < 0.01, `edge error rate ${edge.value}: 2 of its monitor's 3 checks failed`);
    assert.equal(edge.labels.edge, `${from.name} → ${to.name}`);
    const service = await measured(`error_rate(service("${from.name}"), "5m") > 0%`);
    assert.equal(service?.value, 50, 'the service pools both monitors: 3 of 6');
    const own = await measured(`error_rate(monitor("${health.name}"), "5m") > 0%`);
    assert.ok(Math.abs(own!.value - 100 / 3) < 0.01, `health error rate ${own!.value}`);
    const uptime = await measured(`uptime(edge("${from.name}", "${to.name}"), "5m") < 99`);
    assert.ok(uptime && Math.abs(uptime.value - 100 / 3) < 0.01, `edge uptime ${uptime?.value}`);
    assert.equal(await measured(`latency(edge("${from.name}", "${to.name}")) > 2s`), undefined, 'the latest latency, 40 ms, is not above 2 s');
    await push(reach.id, 'up');
  });

  test('edges(to=…) makes one alert per matching edge of the team, evaluated for the edge that changed; unknown filter names answer 422', async () => {
    const typo = await api.call('POST', '/v1/alert-rules', { body: rule(fulfillment.id, `down(edges(from="${from.name.replace('fulfillment', 'fulfilment')}"))`) });
    assert.equal(typo.status, 422, JSON.stringify(typo.body));
    assert.match(typo.body.errors[0].message, new RegExp(`from=".*fulfilment.*": service ".*" depends on nothing in team "${fulfillment.name}".*Did you mean "${from.name}"\\?`));
    const created = await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, rule(fulfillment.id, `down(edges(to="${to.name}"))`));
    assert.deepEqual(await references(created.id), [`service:${to.id}`]);
    await waitFor('the new rule to be evaluated', 10_000, async () => (await api.call('GET', `/v1/alert-rules/${created.id}/status`)).body.last_evaluated_at, 50);
    // The team's other edge goes down first: it is not an edge to shipping-integration.
    await push(reachPayments.id, 'down');
    await api.app.settle();
    const cut = Date.now();
    await push(reach.id, 'down');
    const firing = await waitFor('the edge selector rule to fire', 10_000, async () => (await alertsOf(created.id)).find((a) => a.state === 'firing'), 50);
    assert.ok(Date.parse(firing.firing_since) - cut < 3_000, `fired ${Date.parse(firing.firing_since) - cut} ms after the edge went down`);
    assert.deepEqual([firing.labels.service, firing.labels.depends_on, firing.labels.edge], [from.name, to.name, `${from.name} → ${to.name}`]);
    await push(reach.id, 'up');
    await waitFor('the edge selector rule to resolve', 10_000, async () => (await alertsOf(created.id)).find((a) => a.state === 'resolved'), 50);
    assert.equal((await alertsOf(created.id)).length, 1, 'the edge to another service, down as well, is not selected');
    const events = await alertEvents(created.id);
    assert.deepEqual(events.map((e) => [e.to, e.subject]), [['firing', { kind: 'edge', id: edgeId }], ['resolved', { kind: 'edge', id: edgeId }]]);
  });
});
