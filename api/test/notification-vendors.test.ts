import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { waitFor } from '../../scripts/test/support/processes.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { datadogReceiver, pagerdutyReceiver, slackReceiver, SmtpReceiver, type HttpReceiver, type PagerdutyReceiver } from './support/vendor-receivers/index.ts';
import { expectOk, unique } from './support/world.ts';

// Every vendor through the whole pipeline on PostgreSQL: an alert fires, the team's policy routes
// it to a PagerDuty, a Slack, a Datadog and an e-mail channel, the outbox delivers it to local
// receivers that validate each vendor's documented format, and its resolution follows on each.
// PagerDuty gets trigger then resolve with one dedup_key, so the incident it opened is closed.

const skip = postgresSkip();
let api: TestApi;
let pd: PagerdutyReceiver;
let slack: HttpReceiver;
let dd: HttpReceiver;
let smtp: SmtpReceiver;
const ddKey = randomBytes(16).toString('hex');
const smtpPassword = `smtp-${randomBytes(8).toString('hex')}`;

before(async () => {
  if (skip) return;
  [pd, slack, dd] = await Promise.all([pagerdutyReceiver().start(), slackReceiver().start(), datadogReceiver(ddKey).start()]);
  smtp = await new SmtpReceiver({ auth: { user: 'pharos', pass: smtpPassword } }).start();
  api = await startTestApi({ app: { alertTickMs: 60_000, consumerSettings: { pollMs: 200 }, notifications: { pollMs: 100, sendTimeoutMs: 5_000, smtpCa: smtp.cert.cert, retry: { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 1_000 } } } });
});
after(async () => {
  await api?.close();
  await Promise.all([pd?.close(), slack?.close(), dd?.close(), smtp?.close()]);
});

test('an alert and its resolution reach PagerDuty, Slack, Datadog and e-mail in each vendor\'s format', { skip, timeout: 40_000 }, async () => {
  const team = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('checkout') });
  const channel = async (type: string, config: Record<string, unknown>) => (await expectOk(api, 'POST', '/v1/channels', api.adminToken, { name: unique(type), team_id: team.id, type, [type]: config })).id as string;
  const channels = {
    pagerduty: await channel('pagerduty', { routing_key: randomBytes(16).toString('hex'), api_url: pd.url }),
    slack: await channel('slack', { webhook_url: `${slack.url}/services/T0001/B0001/${randomBytes(12).toString('hex')}` }),
    datadog: await channel('datadog', { api_key: ddKey, api_url: dd.url }),
    email: await channel('email', { to: ['oncall@example.com'], from: 'alerts@example.com', smtp_host: '127.0.0.1', smtp_port: smtp.port, smtp_username: 'pharos', smtp_password: smtpPassword }),
  };
  await expectOk(api, 'POST', '/v1/routing-policies', api.adminToken, { name: unique('all'), team_id: team.id, channel_ids: Object.values(channels), group_wait: '0s', group_interval: '1s' });
  const service = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('cart'), team_id: team.id });
  const ruleName = unique('cart-unknown');
  const rule = await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, {
    name: ruleName, team_id: team.id, expression: `unknown(service("${service.name}"))`, for_duration: '0s', severity: 'critical',
    runbook_url: 'https://runbooks.example.com/cart', message: '{{labels.service}} has no data ({{severity}})',
  });
  await api.app.alerts.evaluateRule(api.orgId, rule.id);

  const notifications = async () => (await api.call('GET', `/v1/notifications?channel_id=${channels.pagerduty}`)).body.items as Array<{ kind: string; state: string; alert_ids: string[] }>;
  const all = async (kind: string) => {
    const items: Array<{ kind: string; state: string; channel_type: string; last_error: string | null }> = [];
    for (const id of Object.values(channels)) items.push(...(await api.call('GET', `/v1/notifications?channel_id=${id}`)).body.items);
    const ofKind = items.filter((n) => n.kind === kind);
    return ofKind.length === 4 && ofKind.every((n) => n.state === 'delivered') ? ofKind : undefined;
  };
  await waitFor('the page delivered on all four channels', 20_000, () => all('firing'), 100).catch(async (e) => {
    throw new Error(`${(e as Error).message}: ${JSON.stringify(await notifications())}`);
  });

  // Firing, as each vendor documents it.
  const [trigger] = pd.accepted.map((r) => r.json as { event_action: string; dedup_key: string; payload: { severity: string; summary: string; source: string; custom_details: Record<string, unknown> } });
  assert.equal(trigger!.event_action, 'trigger');
  assert.equal(trigger!.payload.severity, 'critical');
  assert.match(trigger!.payload.summary, new RegExp(service.name));
  assert.equal(pd.incidents.get(trigger!.dedup_key), 'triggered');
  const slackPage = slack.accepted[0]!.json as { text: string; blocks: unknown[] };
  assert.ok(Array.isArray(slackPage.blocks) && slackPage.blocks.length > 0, 'Block Kit blocks');
  assert.match(slackPage.text, new RegExp(service.name));
  assert.match(JSON.stringify(slackPage.blocks), /runbooks\.example\.com\/cart/);
  const ddEvent = dd.accepted[0]!.json as { alert_type: string; aggregation_key: string; tags: string[] };
  assert.equal(ddEvent.alert_type, 'error');
  assert.ok(ddEvent.tags.includes(`service:${service.name}`), JSON.stringify(ddEvent.tags));
  const mail = smtp.messages[0]!;
  assert.equal(mail.secure, true, 'sent after STARTTLS');
  assert.deepEqual(mail.to, ['oncall@example.com']);
  assert.match(mail.parsed.subject ?? '', new RegExp(service.name));
  assert.match(mail.parsed.text ?? '', new RegExp(`${service.name} has no data \\(critical\\)`));
  assert.ok(typeof mail.parsed.html === 'string' && mail.parsed.html.includes(service.name), 'an HTML part');

  // Resolution: the rule is disabled, its alert resolves, and every channel hears of it.
  await expectOk(api, 'PATCH', `/v1/alert-rules/${rule.id}`, api.adminToken, { enabled: false });
  await api.app.alerts.evaluateRule(api.orgId, rule.id);
  await waitFor('the resolution delivered on all four channels', 20_000, () => all('resolved'), 100);
  assert.deepEqual(pd.accepted.map((r) => (r.json as { event_action: string }).event_action), ['trigger', 'resolve']);
  assert.equal((pd.accepted[1]!.json as { dedup_key: string }).dedup_key, trigger!.dedup_key, 'the resolve names the trigger\'s dedup_key');
  assert.equal(pd.incidents.get(trigger!.dedup_key), 'resolved', 'the PagerDuty incident is closed');
  assert.equal(pd.incidents.size, 1);
  assert.equal(slack.accepted.length, 2);
  const ddResolved = dd.accepted[1]!.json as { alert_type: string; aggregation_key: string };
  assert.equal(ddResolved.alert_type, 'success');
  assert.equal(ddResolved.aggregation_key, ddEvent.aggregation_key, 'one Datadog aggregation for the page and its resolution');
  assert.equal(smtp.messages.length, 2);
  assert.match(smtp.messages[1]!.parsed.subject ?? '', /resolved/i);

  // Every request each receiver got was valid (a drift from a format fails here), and none was repeated.
  for (const [name, r] of Object.entries({ pd, slack, dd })) {
    assert.deepEqual(r.requests.flatMap((q) => q.problems), [], `${name} found problems`);
    assert.equal(r.requests.length, 2, `${name}: one page, one resolution`);
  }
  await new Promise((r) => setTimeout(r, 1_200));
  assert.equal(pd.requests.length + slack.requests.length + dd.requests.length + smtp.messages.length, 8, 'nothing more is sent');
});

test('e-mail: a temporary SMTP refusal (451) is retried and the mail sent once; a permanent one (550) is dead after one try', { skip, timeout: 30_000 }, async () => {
  const team = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('mail') });
  const email = (await expectOk(api, 'POST', '/v1/channels', api.adminToken, { name: unique('email'), team_id: team.id, type: 'email', email: { to: ['oncall@example.com'], from: 'alerts@example.com', smtp_host: '127.0.0.1', smtp_port: smtp.port, smtp_username: 'pharos', smtp_password: smtpPassword } })).id as string;
  await expectOk(api, 'POST', '/v1/routing-policies', api.adminToken, { name: unique('all'), team_id: team.id, channel_ids: [email], group_wait: '0s', group_interval: '1s' });
  const service = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('mailed'), team_id: team.id });
  const fire = async () => {
    const rule = await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { name: unique('mail-rule'), team_id: team.id, expression: `unknown(service("${service.name}"))`, for_duration: '0s', severity: 'warning' });
    await api.app.alerts.evaluateRule(api.orgId, rule.id);
    return rule.name as string;
  };
  const settled = (state: string) => waitFor(`an e-mail notification ${state}`, 15_000, async () => {
    const items = (await api.call('GET', `/v1/notifications?channel_id=${email}&state=${state}`)).body.items as Array<{ id: string; attempts: number; last_status: number | null; last_error: string | null }>;
    return items[0];
  }, 100);
  const mailsAbout = (name: string) => smtp.messages.filter((m) => (m.parsed.text ?? '').includes(name) || (m.parsed.subject ?? '').includes(name));

  smtp.fail(1, 451);
  const retried = await fire();
  const delivered = await settled('delivered');
  assert.equal(delivered.attempts, 2, 'one temporary refusal, then sent');
  const history = (await api.call('GET', `/v1/notifications/${delivered.id}`)).body.history as Array<{ ok: boolean; status: number }>;
  assert.deepEqual(history.map((h) => `${h.ok}:${h.status}`), ['false:451', 'true:250']);
  assert.equal(mailsAbout(retried).length, 1, 'one mail');

  smtp.fail(1, 550);
  const refused = await fire();
  const dead = await settled('dead');
  assert.equal(dead.attempts, 1);
  assert.equal(dead.last_status, 550);
  await new Promise((r) => setTimeout(r, 1_200));
  assert.equal((await api.call('GET', `/v1/notifications/${dead.id}`)).body.history.length, 1, 'never retried');
  assert.equal(mailsAbout(refused).length, 0);
});
