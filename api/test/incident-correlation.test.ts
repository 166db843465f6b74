import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { monotonicFactory } from 'ulid';
import { waitFor } from '../../scripts/test/support/processes.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { webhookReceiver, type WebhookReceiver } from './support/vendor-receivers/index.ts';
import { expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';

// The correlator in the notification pipeline, on PostgreSQL, with results pushed by a runner
// simulated over the runner protocol (so each test says exactly which checks fail):
//   web (storefront) → routing (fulfillment) → shipping (fulfillment) → carrier (external, fulfillment)
//   pay (payments) → gateway (external, payments)
// Each team has one rule over its services and one over its edge monitors, and a webhook channel.
// The edge routing → shipping is cut while every /health stays up: one incident, its root cause is
// the edge, fulfillment is paged for it, the dependents' pages (routing's and web's) are held, the
// storefront team gets one informational notice; healing resolves the page and the incident. Two
// unrelated failures at once open two incidents, each with its own root cause.

const ulid = monotonicFactory();
type Page = { type: string; data: { id: string; team: string; alerts: Array<{ id: string; state: string; severity: string; labels: Record<string, string> }> } };

describe('incidents: correlation, root cause and held pages', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let runner: SimulatedRunner;
  const region = unique('r');
  const teams: Record<'fulfillment' | 'storefront' | 'payments', { id: string; name: string }> = {} as never;
  const receivers: Record<string, WebhookReceiver> = {};
  const services: Record<string, { id: string; name: string }> = {};
  const monitors: Record<string, { id: string; name: string }> = {};
  let edgeId = '';

  const pages = (team: keyof typeof teams) => receivers[team]!.accepted.map((q) => q.json as Page);
  // Pages about a label value; informational notices (alertname dependency-incident) count only when asked for by alertname.
  const firingAbout = (team: keyof typeof teams, label: string, value: string) =>
    pages(team).filter((p) => p.type === 'alert.firing' && p.data.alerts.some((a) => a.labels[label] === value && (label === 'alertname' || a.labels.alertname !== 'dependency-incident')));
  const incidents = async (query = '') => (await api.call('GET', `/v1/incidents${query}`)).body.items as Array<Record<string, any>>;
  const incident = async (id: string) => (await api.call('GET', `/v1/incidents/${id}`)).body as Record<string, any>;
  const push = async (statuses: Record<string, 'up' | 'down'>) => {
    await pollRunner(api, runner); // keeps its lease, as a live runner does
    const at = new Date().toISOString();
    const results = Object.entries(statuses).map(([key, status]) => ({
      id: `res_${ulid()}`, monitor_id: monitors[key]!.id, region, started_at: at, status, duration_ms: 30,
      ...(status === 'down' ? { status_code: 503, error: { code: 'http_status', message: 'expected status 200, got 503' } } : { status_code: 200 }),
    }));
    const res = await api.call('POST', '/v1/runner/results', { token: runner.token, body: { runner_id: runner.id, results } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.accepted.length, results.length, JSON.stringify(res.body));
  };
  const allUp = () => Object.fromEntries(Object.keys(monitors).map((k) => [k, 'up' as const]));
  /** Cuts routing → shipping while every /health stays up (routing's and web's business checks fail with it); answers the one open incident naming the edge. */
  const cutEdge = async () => {
    await push({ ...allUp(), 'routing-reaches-shipping': 'down', 'routing-ship': 'down', 'web-checkout': 'down' });
    const [open] = await waitFor('one open incident naming the edge', 20_000, async () => {
      const list = await incidents('?state=open');
      return list.length === 1 && list[0]!.root_cause?.kind === 'edge' ? list : undefined;
    }, 100);
    return open!;
  };
  const webHeld = (id: string) => waitFor('web held', 10_000, async () => ((await incident(id)).alerts as Array<{ notification: string; labels: Record<string, string> }>).some((a) => a.notification === 'held' && a.labels.service === services.web!.name) || undefined, 100);

  before(async () => {
    api = await startTestApi({ backend: 'postgres', app: { alertTickMs: 600_000, incidentSweepMs: 200, consumerSettings: { pollMs: 100 }, notifications: { pollMs: 100 } } });
    await expectOk(api, 'PUT', '/v1/incident-settings', api.adminToken, { correlation_window_seconds: 300, auto_resolve: true, resolve_after_seconds: 1, root_cause_grace_seconds: 60 });
    for (const key of ['fulfillment', 'storefront', 'payments'] as const) {
      teams[key] = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique(key) });
      const secret = `whsec_${randomBytes(32).toString('base64')}`;
      receivers[key] = (await webhookReceiver(secret).start()) as WebhookReceiver;
      const channel = await expectOk(api, 'POST', '/v1/channels', api.adminToken, { name: unique('hook'), team_id: teams[key].id, type: 'webhook', webhook: { url: `${receivers[key].url}/hook`, signing_secret: secret } });
      await expectOk(api, 'POST', '/v1/routing-policies', api.adminToken, { name: unique('all'), team_id: teams[key].id, channel_ids: [channel.id], group_wait: '0s', group_by: ['alertname', 'service', 'monitor'], ...(key === 'storefront' ? { impact_notices: true } : {}) });
      await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { name: unique(`${key}-service-down`), team_id: teams[key].id, expression: `down(services(team="${teams[key].name}"))`, for_duration: '0s', severity: 'critical' });
      await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { name: unique(`${key}-path-blocked`), team_id: teams[key].id, expression: `down(monitors(team="${teams[key].name}", tag="check:edge"))`, for_duration: '0s', severity: 'critical' });
    }
    const service = async (key: string, team: keyof typeof teams, kind: 'internal' | 'external' = 'internal') => {
      services[key] = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique(key), team_id: teams[team].id, kind });
    };
    await service('web', 'storefront');
    await service('routing', 'fulfillment');
    await service('shipping', 'fulfillment');
    await service('carrier', 'fulfillment', 'external');
    await service('pay', 'payments');
    await service('gateway', 'payments', 'external');
    const depend = async (from: string, to: string) => (await expectOk(api, 'POST', `/v1/services/${services[from]!.id}/dependencies`, api.adminToken, { depends_on_service_id: services[to]!.id })).id as string;
    await depend('web', 'routing');
    edgeId = await depend('routing', 'shipping');
    await depend('shipping', 'carrier');
    await depend('pay', 'gateway');
    const monitor = async (key: string, service: string, extra: Record<string, unknown> = {}) => {
      monitors[key] = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, {
        name: unique(key), service_id: services[service]!.id, type: 'http', interval_seconds: 30, timeout_seconds: 5, failure_threshold: 1, recovery_threshold: 1, regions: [region],
        http: { url: 'http://127.0.0.1:9/health' }, assertions: [{ source: 'status_code', operator: 'equals', target: '200' }], ...extra,
      });
    };
    for (const s of ['web', 'routing', 'shipping', 'carrier', 'pay', 'gateway']) await monitor(`${s}-health`, s, { tags: { check: 'health' } });
    await monitor('web-checkout', 'web', { tags: { check: 'business' } });
    await monitor('routing-ship', 'routing', { tags: { check: 'business' } });
    await monitor('routing-reaches-shipping', 'routing', { tags: { check: 'edge' }, dependency_id: edgeId });
    runner = await registerRunner(api, (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region, labels: {} })).token as string);
    await pollRunner(api, runner);
    await push(allUp());
    await api.app.settle();
  });
  after(async () => {
    await api?.close();
    for (const r of Object.values(receivers)) await r.close();
  });

  test('an edge cut while every /health is up: one incident, root cause the edge, only fulfillment paged, dependents held, one notice to storefront', async () => {
    const open = await cutEdge();
    await waitFor('the edge page', 10_000, async () => firingAbout('fulfillment', 'monitor', monitors['routing-reaches-shipping']!.name)[0], 50);
    await api.app.settle();
    await new Promise((r) => setTimeout(r, 500));

    assert.equal((await incidents('?state=open')).length, 1, 'one incident, not one per failing service');
    const detail = await incident(open.id);
    assert.equal(detail.root_cause.id, edgeId);
    assert.equal(detail.root_cause.reason, 'edge_target_healthy');
    assert.equal(detail.state, 'identified');
    assert.equal(detail.team_id, teams.fulfillment.id, 'the edge belongs to its dependent service\'s team');
    assert.match(detail.title, new RegExp(`${services.routing!.name}.*${services.shipping!.name}`));
    const impacted = (detail.impacted as Array<{ name: string }>).map((i) => i.name);
    assert.ok(impacted.includes(services.routing!.name) && impacted.includes(services.web!.name), `impacted: ${impacted.join(', ')}`);
    assert.ok((detail.evidence as Array<{ monitor: string; error?: string }>).some((e) => e.monitor === monitors['routing-reaches-shipping']!.name && e.error === 'http_status'), JSON.stringify(detail.evidence));

    // Pages: the edge alert reached fulfillment once; routing's and web's service alerts were held.
    assert.equal(firingAbout('fulfillment', 'monitor', monitors['routing-reaches-shipping']!.name).length, 1);
    assert.equal(firingAbout('fulfillment', 'service', services.routing!.name).filter((p) => p.data.alerts.some((a) => !a.labels.monitor)).length, 0, 'routing\'s service alert is held');
    const storefront = pages('storefront').filter((p) => p.type === 'alert.firing');
    assert.equal(storefront.length, 1, `storefront got ${storefront.length} pages`);
    assert.equal(storefront[0]!.data.alerts[0]!.labels.alertname, 'dependency-incident', 'an informational notice, not a page');
    assert.equal(storefront[0]!.data.alerts[0]!.severity, 'info');
    assert.equal(pages('payments').length, 0, 'an unrelated team hears nothing');
    const held = (detail.alerts as Array<{ notification: string; labels: Record<string, string> }>).filter((a) => a.notification === 'held');
    assert.deepEqual(held.map((a) => a.labels.service).sort(), [services.routing!.name, services.web!.name].sort());
    const kinds = (detail.timeline as Array<{ kind: string }>).map((t) => t.kind);
    for (const k of ['opened', 'alert_added', 'root_cause', 'notification_held', 'notice_sent']) assert.ok(kinds.includes(k), `timeline has ${k}: ${kinds.join(', ')}`);
  });

  test('healing: the page resolves, held alerts resolve unsent, the notice resolves with the incident, the incident resolves itself', async () => {
    const [open] = await incidents('?state=open');
    await push(allUp());
    await waitFor('the edge resolution', 15_000, async () => pages('fulfillment').find((p) => p.type === 'alert.resolved' && p.data.alerts.some((a) => a.labels.monitor === monitors['routing-reaches-shipping']!.name)), 50);
    const resolved = await waitFor('the incident resolved', 15_000, async () => {
      const d = await incident(open!.id);
      return d.state === 'resolved' ? d : undefined;
    }, 100);
    assert.ok(resolved.resolved_at);
    await waitFor('the notice resolution', 10_000, async () => pages('storefront').find((p) => p.type === 'alert.resolved'), 50);
    await api.app.settle();
    assert.equal(pages('fulfillment').filter((p) => p.type === 'alert.firing').length, 1, 'no held page was released on the way out');
    assert.equal(firingAbout('storefront', 'alertname', 'dependency-incident').length, 1);
    const kinds = (resolved.timeline as Array<{ kind: string }>).map((t) => t.kind);
    assert.ok(kinds.includes('resolved') && kinds.includes('alert_resolved'), kinds.join(', '));
  });

  test('two unrelated failures at once open two incidents, each with its own root cause and its owner paged', async () => {
    const before = { fulfillment: pages('fulfillment').length, payments: pages('payments').length };
    await push({ ...allUp(), 'carrier-health': 'down', 'shipping-health': 'down', 'gateway-health': 'down', 'pay-health': 'down' });
    const open = await waitFor('two incidents with root causes', 20_000, async () => {
      const list = await incidents('?state=open');
      return list.length === 2 && list.every((i) => i.root_cause) ? list : undefined;
    }, 100);
    const roots = open.map((i) => i.root_cause.id).sort();
    assert.deepEqual(roots, [services.carrier!.id, services.gateway!.id].sort(), 'an external API down is the root cause');
    await waitFor('both owners paged', 10_000, async () => firingAbout('fulfillment', 'service', services.carrier!.name)[0] && firingAbout('payments', 'service', services.gateway!.name)[0], 50);
    await api.app.settle();
    await new Promise((r) => setTimeout(r, 500));
    const newFulfillment = pages('fulfillment').slice(before.fulfillment).filter((p) => p.type === 'alert.firing');
    assert.deepEqual(newFulfillment.flatMap((p) => p.data.alerts.map((a) => a.labels.service)), [services.carrier!.name], 'shipping (a dependent of carrier) is held');
    const newPayments = pages('payments').slice(before.payments).filter((p) => p.type === 'alert.firing');
    assert.deepEqual(newPayments.flatMap((p) => p.data.alerts.map((a) => a.labels.service)), [services.gateway!.name], 'pay (a dependent of gateway) is held');
    await push(allUp());
    await waitFor('both incidents resolved', 15_000, async () => ((await incidents('?state=open')).length === 0 ? true : undefined), 100);
  });

  test('a dependent that still fails a grace after the root cause recovered is released: its own team is paged then', async () => {
    await expectOk(api, 'PUT', '/v1/incident-settings', api.adminToken, { correlation_window_seconds: 300, auto_resolve: true, resolve_after_seconds: 1, root_cause_grace_seconds: 3 });
    const before = pages('storefront').length;
    const open = await cutEdge();
    await webHeld(open.id);
    assert.equal(firingAbout('storefront', 'service', services.web!.name).length, 0, 'held while the edge pages');
    // The edge heals; web keeps failing on its own.
    await push({ ...allUp(), 'web-checkout': 'down' });
    const page = await waitFor('web paged after all', 15_000, async () => firingAbout('storefront', 'service', services.web!.name)[0], 50);
    assert.equal(page.data.alerts[0]!.severity, 'critical');
    const detail = await incident(open.id);
    assert.equal(detail.root_cause.id, services.web!.id, 'the root cause moved to web');
    assert.ok((detail.timeline as Array<{ kind: string }>).some((t) => t.kind === 'notification_released'));
    assert.ok(pages('storefront').length > before);
    await push(allUp());
    await waitFor('the incident resolved', 15_000, async () => ((await incidents('?state=open')).length === 0 ? true : undefined), 100);
    await waitFor('web\'s resolution', 10_000, async () => pages('storefront').find((p) => p.type === 'alert.resolved' && p.data.alerts.some((a) => a.labels.service === services.web!.name)), 50);
    await expectOk(api, 'PUT', '/v1/incident-settings', api.adminToken, { correlation_window_seconds: 300, auto_resolve: true, resolve_after_seconds: 1, root_cause_grace_seconds: 60 });
  });

  test('resolving an incident by hand while pages are held sends what still fires', async () => {
    const open = await cutEdge();
    await webHeld(open.id);
    const webPages = firingAbout('storefront', 'service', services.web!.name).length;
    await expectOk(api, 'POST', `/v1/incidents/${open.id}/resolve`, api.adminToken, {});
    await waitFor('web paged once the incident is closed by hand', 15_000, async () => firingAbout('storefront', 'service', services.web!.name).length > webPages || undefined, 50);
    const detail = await incident(open.id);
    assert.equal(detail.state, 'resolved');
    assert.ok((detail.timeline as Array<{ kind: string; payload?: { why?: string } }>).some((t) => t.kind === 'notification_released'), 'the release is on the timeline');
    await push(allUp());
    await waitFor('web\'s resolution', 15_000, async () => pages('storefront').filter((p) => p.type === 'alert.resolved' && p.data.alerts.some((a) => a.labels.service === services.web!.name)).length >= 2 || undefined, 50);
  });

  test('probes: a service monitor that starts failing asks for an immediate check of its edge monitors, a failing edge monitor for its target\'s', async () => {
    const probes = async () => (await api.database.db.selectFrom('confirmation_requests').select(['monitor_id', 'reason']).where('reason', 'like', 'probe:%').execute()).map((r) => r.monitor_id);
    // The simulated runner never collects its checks: mark the earlier ones delivered, as a runner would.
    await api.database.db.updateTable('confirmation_requests').set({ delivered_at: new Date() }).where('delivered_at', 'is', null).execute();
    const before = await probes();
    await push({ ...allUp(), 'routing-ship': 'down' });
    const afterService = await probes();
    assert.equal(afterService.filter((m) => m === monitors['routing-reaches-shipping']!.id).length, before.filter((m) => m === monitors['routing-reaches-shipping']!.id).length + 1, 'the edge monitor of routing is checked at once');
    await push({ ...allUp(), 'routing-reaches-shipping': 'down' });
    const afterEdge = await probes();
    assert.ok(afterEdge.filter((m) => m === monitors['shipping-health']!.id).length > before.filter((m) => m === monitors['shipping-health']!.id).length, 'the edge\'s target is checked at once');
    assert.ok(!afterEdge.slice(before.length).includes(monitors['web-health']!.id), 'nothing upstream is probed');
    await push(allUp());
    await waitFor('quiet again', 15_000, async () => ((await incidents('?state=open')).length === 0 ? true : undefined), 100);
  });

  test('two incidents that turn out to share their root cause become one', async () => {
    await push({ ...allUp(), 'carrier-health': 'down' });
    const [first] = await waitFor('an incident of the carrier', 20_000, async () => {
      const list = await incidents('?state=open');
      return list.length === 1 && list[0]!.root_cause?.id === services.carrier!.id ? list : undefined;
    }, 100);
    // web fails while nothing between it and the carrier is seen failing yet: an incident of its own.
    await push({ ...allUp(), 'carrier-health': 'down', 'web-checkout': 'down' });
    await waitFor('a second incident, about web', 20_000, async () => ((await incidents('?state=open')).length === 2 ? true : undefined), 100);
    // Then routing and shipping are seen failing: web's failure runs through them to the carrier.
    await push({ ...allUp(), 'carrier-health': 'down', 'web-checkout': 'down', 'routing-ship': 'down', 'shipping-health': 'down' });
    const [merged] = await waitFor('one incident again', 20_000, async () => {
      const list = await incidents('?state=open');
      return list.length === 1 ? list : undefined;
    }, 100);
    assert.equal(merged!.id, first!.id, 'the older incident stays');
    const detail = await incident(first!.id);
    assert.equal(detail.root_cause.id, services.carrier!.id);
    assert.ok((detail.alerts as Array<{ labels: Record<string, string> }>).some((a) => a.labels.service === services.web!.name), 'web\'s alert moved into it');
    assert.ok((detail.timeline as Array<{ kind: string }>).some((t) => t.kind === 'merged'));
    const other = (await incidents('?state=resolved')).find((i) => i.id !== first!.id && new Date(i.opened_at).getTime() >= new Date(first!.opened_at).getTime())!;
    const gone = await incident(other.id);
    assert.ok((gone.timeline as Array<{ kind: string; payload: { merged_into?: { number: number } } }>).some((t) => t.kind === 'resolved' && t.payload.merged_into?.number === detail.number), 'the younger one says where it went');
    await push(allUp());
    await waitFor('quiet again', 20_000, async () => ((await incidents('?state=open')).length === 0 ? true : undefined), 100);
  });
});
