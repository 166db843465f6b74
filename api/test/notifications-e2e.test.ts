import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { listenLoopback, startRunnerProcess, waitFor, type Proc } from '../../scripts/test/support/processes.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { webhookReceiver, type WebhookReceiver } from './support/vendor-receivers/index.ts';
import { expectOk, unique } from './support/world.ts';

// The whole path on PostgreSQL, from a failing HTTP target to a signed webhook page and its
// resolution: a real runner checks the target, the alert fires, the owning team's routing policy
// takes it, the outbox delivers it through a receiver that verifies the Standard Webhooks signature
// and the documented body. Another team with a catch-all policy gets nothing. A receiver that
// answers 500 three times gets the page once; a silence holds a page back (recorded as suppressed)
// and never holds back a resolution.

describe('notifications end to end', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let target: Server;
  let runner: Proc | undefined;
  const failing = new Set<string>();
  const region = unique('r');
  const secret = () => `whsec_${randomBytes(32).toString('base64')}`;
  const receivers: Record<'a' | 'b', WebhookReceiver> = {} as never;
  const monitors: Record<'one' | 'two', { id: string; name: string }> = {} as never;
  let teamA: { id: string; name: string };
  const rules: Record<string, string> = {};

  const pages = (r: WebhookReceiver, type?: string) => r.accepted.map((q) => q.json as { type: string; data: Record<string, any> }).filter((b) => !type || b.type === type);
  const pagesAbout = (r: WebhookReceiver, monitor: string, type?: string) => pages(r, type).filter((b) => b.data.alerts.some((a: { labels: Record<string, string> }) => a.labels.monitor === monitor));

  before(async () => {
    target = createServer((req, res) => res.writeHead(failing.has(req.url!.slice(1)) ? 500 : 200).end());
    const url = await listenLoopback(target);
    api = await startTestApi({ backend: 'postgres', app: { alertTickMs: 1_000, consumerSettings: { pollMs: 200 }, notifications: { pollMs: 100, retry: { maxAttempts: 6, baseDelayMs: 200, maxDelayMs: 1_000 } } } });
    teamA = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('fulfillment') });
    const teamB = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('payments') });
    for (const [key, team] of [['a', teamA], ['b', teamB]] as const) {
      const s = secret();
      receivers[key] = await webhookReceiver(s).start() as WebhookReceiver;
      const channel = await expectOk(api, 'POST', '/v1/channels', api.adminToken, { name: unique(`hook-${key}`), team_id: team.id, type: 'webhook', webhook: { url: `${receivers[key].url}/hook`, signing_secret: s } });
      // group_interval stays at its default (5m): a group's last resolution must not wait for it.
      await expectOk(api, 'POST', '/v1/routing-policies', api.adminToken, { name: unique(`all-${key}`), team_id: team.id, channel_ids: [channel.id], group_wait: '0s' });
    }
    const service = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('shipping'), team_id: teamA.id });
    for (const key of ['one', 'two'] as const) {
      monitors[key] = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, {
        name: unique(key), service_id: service.id, type: 'http', interval_seconds: 5, timeout_seconds: 2, failure_threshold: 1, recovery_threshold: 1, regions: [region],
        http: { url: `${url}/${key}` }, assertions: [{ source: 'status_code', operator: 'equals', target: '200' }],
      });
      rules[key] = (await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { name: unique(`down-${key}`), team_id: teamA.id, expression: `down(monitor("${monitors[key].name}"))`, for_duration: '0s', severity: 'critical', runbook_url: 'https://runbooks.example.com/shipping', message: '{{labels.monitor}} is down ({{severity}})' })).id;
    }
    const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
    runner = startRunnerProcess(api.url, token, { PHAROS_REGION: region });
    await waitFor('both monitors up', 60_000, async () => {
      for (const m of Object.values(monitors)) if ((await api.call('GET', `/v1/monitors/${m.id}/state`)).body.state !== 'up') return false;
      return true;
    });
  });

  after(async () => {
    await runner?.stop();
    await api?.close();
    await new Promise((r) => target?.close(r));
    for (const r of Object.values(receivers)) await r.close();
  });

  test('the owning team is paged once within seconds of the failure, with a signed, documented body; the other team gets nothing', async () => {
    receivers.a.fail(3, 500);
    const flipped = Date.now();
    failing.add('one');
    const page = await waitFor('the firing page', 30_000, async () => pagesAbout(receivers.a, monitors.one.name, 'alert.firing')[0], 50);
    const tookMs = Date.now() - flipped;
    assert.ok(tookMs < 12_000, `paged ${tookMs} ms after the target failed (interval 5 s + timeout 2 s)`);
    assert.equal(page.data.team, teamA.name);
    assert.equal(page.data.alerts[0].labels.monitor, monitors.one.name);
    assert.equal(page.data.alerts[0].severity, 'critical');
    assert.equal(page.data.text, `${monitors.one.name} is down (critical)`);
    assert.equal(page.data.alerts[0].annotations.runbook_url, 'https://runbooks.example.com/shipping');
    // Three 500s, then accepted: four requests with one webhook-id, delivered once.
    const accepted = receivers.a.accepted.find((q) => (q.json as { data: { id: string } }).data.id === page.data.id)!;
    const tries = receivers.a.requests.filter((q) => q.headers['webhook-id'] === accepted.headers['webhook-id']);
    assert.deepEqual(tries.map((q) => q.status), [500, 500, 500, 204], 'the same webhook-id on every try');
    assert.equal(pagesAbout(receivers.a, monitors.one.name, 'alert.firing').length, 1);
    assert.equal(receivers.b.requests.length, 0, 'another team\'s channel is never notified');

    // The receiver has answered 204; the sender records the delivery right after, so wait for it briefly.
    const listed = await waitFor('the delivery recorded', 5_000, async () => {
      const items = (await api.call('GET', `/v1/notifications?alert_id=${page.data.alerts[0].id}`)).body.items;
      return items.length === 1 && items[0].state !== 'sending' ? items : undefined;
    }, 50);
    assert.equal(listed.length, 1);
    assert.equal(listed[0].state, 'delivered');
    assert.equal(listed[0].attempts, 4);
    const detail = (await api.call('GET', `/v1/notifications/${listed[0].id}`)).body;
    assert.deepEqual(detail.history.map((h: { ok: boolean; status: number }) => `${h.ok}:${h.status}`), ['false:500', 'false:500', 'false:500', 'true:204']);
    assert.ok(!JSON.stringify(detail).includes('whsec_'), 'no secret in the API');
  });

  test('recovery sends the resolution at once (not after group_interval), with the same dedup key, once', async () => {
    const firing = pagesAbout(receivers.a, monitors.one.name, 'alert.firing')[0]!;
    failing.delete('one');
    const resolved = await waitFor('the resolution', 30_000, async () => pagesAbout(receivers.a, monitors.one.name, 'alert.resolved')[0], 50);
    assert.equal(resolved.data.dedup_key, firing.data.dedup_key);
    assert.equal(resolved.data.alerts[0].state, 'resolved');
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(pagesAbout(receivers.a, monitors.one.name).length, 2, 'one page, one resolution');
  });

  test('a silence holds the page back (recorded as suppressed); the resolution of a page sent before the silence still goes out', async () => {
    // Monitor two fails and is paged; then a silence covers it; it recovers while silenced.
    failing.add('two');
    await waitFor('the page for monitor two', 30_000, async () => pagesAbout(receivers.a, monitors.two.name, 'alert.firing')[0], 50);
    const silence = await expectOk(api, 'POST', '/v1/silences', api.adminToken, {
      team_id: teamA.id, matchers: [{ label: 'service', operator: '=~', value: '.+' }], starts_at: new Date(Date.now() - 1_000).toISOString(), ends_at: new Date(Date.now() + 3_600_000).toISOString(), comment: 'planned work',
    });
    failing.delete('two');
    const resolved = await waitFor('the resolution despite the silence', 30_000, async () => pagesAbout(receivers.a, monitors.two.name, 'alert.resolved')[0], 50);
    assert.equal(resolved.data.alerts[0].labels.monitor, monitors.two.name);

    // Monitor one fails under the silence: no page, a suppressed record naming the silence.
    const before = pagesAbout(receivers.a, monitors.one.name).length;
    failing.add('one');
    const held = await waitFor('the suppressed notification', 30_000, async () => {
      const items = (await api.call('GET', '/v1/notifications?state=suppressed')).body.items as Array<Record<string, any>>;
      return items.find((n) => n.muted_by?.some((b: { id: string }) => b.id === silence.id));
    }, 100);
    assert.equal(held.kind, 'firing');
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(pagesAbout(receivers.a, monitors.one.name).length, before, 'no page while silenced');
    failing.delete('one');
    await waitFor('monitor one up again', 30_000, async () => (await api.call('GET', `/v1/monitors/${monitors.one.id}/state`)).body.state === 'up');
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(pagesAbout(receivers.a, monitors.one.name).length, before, 'an alert never paged gets no resolution either');
    assert.equal(receivers.b.requests.length, 0);
  });
});
