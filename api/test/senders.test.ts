import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { channelTypes } from '../src/contract/alerting.schema.ts';
import { classifyHttp, retryAfterMs, truncate } from '../src/modules/notifications/senders/send-outcome.ts';
import { createSenderRegistry, sendThrough } from '../src/modules/notifications/senders/sender.registry.ts';
import { slackPayload, slackSender } from '../src/modules/notifications/senders/slack.sender.ts';
import { pagerdutySender } from '../src/modules/notifications/senders/pagerduty.sender.ts';
import { datadogSender } from '../src/modules/notifications/senders/datadog.sender.ts';
import { webhookSender } from '../src/modules/notifications/senders/webhook.sender.ts';
import { emailSender } from '../src/modules/notifications/senders/email.sender.ts';
import type { SendOutcome } from '../src/modules/notifications/senders/sender.types.ts';
import { datadogReceiver, pagerdutyReceiver, slackProblems, slackReceiver, SmtpReceiver, webhookReceiver, type HttpReceiver } from './support/vendor-receivers/index.ts';
import { resolvedMessage, sampleAlert, sampleMessage, sendContext } from './support/notification-fixtures.ts';

// Each sender against a local receiver that validates the vendor's documented format and answers as
// the vendor does: what users get on firing and resolved, limits cut to size, which failures are
// worth another try, and that no secret ever appears in an outcome.

const ctx = sendContext();
const json = (r: HttpReceiver, i = -1) => r.requests.at(i)!.json as any;
const noSecret = (outcome: SendOutcome, ...secrets: string[]) => {
  const text = JSON.stringify(outcome);
  for (const s of secrets) assert.ok(!text.includes(s), `outcome leaks a secret: ${text}`);
};
const many = (n: number) => Array.from({ length: n }, (_, i) => sampleAlert({ instanceId: `ain_${i}`, labels: { service: 'checkout', pod: `checkout-${i}-${'x'.repeat(150)}` } }));

test('the registry has a sender for every channel type, each under its own type', () => {
  const registry = createSenderRegistry();
  assert.deepEqual(Object.keys(registry).sort(), [...channelTypes].sort());
  for (const type of channelTypes) assert.equal(registry[type].type, type);
});

test('sendThrough turns missing settings into a permanent failure instead of throwing', async () => {
  const outcome = await sendThrough(createSenderRegistry(), 'slack', undefined, sampleMessage(), ctx);
  assert.deepEqual(outcome, { ok: false, retryable: false, error: 'The channel has no slack settings; set the "slack" object on the channel.' });
});

test('classification: 2xx ok; 408/425/429/5xx retryable with Retry-After (seconds or HTTP-date); other statuses permanent', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');
  const cases: Array<[number, string | undefined, Record<string, unknown>]> = [
    [200, undefined, { ok: true }],
    [202, undefined, { ok: true }],
    [400, '5', { ok: false, retryable: false }],
    [401, undefined, { ok: false, retryable: false }],
    [403, undefined, { ok: false, retryable: false }],
    [404, undefined, { ok: false, retryable: false }],
    [413, undefined, { ok: false, retryable: false }],
    [301, undefined, { ok: false, retryable: false }],
    [408, undefined, { ok: false, retryable: true }],
    [429, '7', { ok: false, retryable: true, retryAfterMs: 7000 }],
    [429, 'Tue, 01 Dec 2026 12:00:30 GMT', { ok: false, retryable: true, retryAfterMs: 30_000 }],
    [503, 'Tue, 01 Dec 2026 11:00:00 GMT', { ok: false, retryable: true, retryAfterMs: 0 }],
    [500, 'soon', { ok: false, retryable: true }],
    [502, undefined, { ok: false, retryable: true }],
  ];
  for (const [status, retryAfter, expected] of cases) {
    const outcome = classifyHttp(status, 'answer', retryAfter, now, []);
    for (const [k, v] of Object.entries(expected)) assert.equal((outcome as Record<string, unknown>)[k], v, `${status} ${retryAfter}: ${k}`);
    if (!outcome.ok && expected.retryAfterMs === undefined) assert.equal(outcome.retryAfterMs, undefined, `${status} ${retryAfter}`);
  }
  assert.equal(retryAfterMs(undefined, now), undefined);
  assert.equal(classifyHttp(500, 'x'.repeat(5000), undefined, now, []).ok ? 0 : (classifyHttp(500, 'x'.repeat(5000), undefined, now, []) as { error: string }).error.length <= 520, true);
  assert.equal(truncate('ab😀cd', 4), 'ab…', 'never splits a surrogate pair');
});

describe('Slack', () => {
  let slack: HttpReceiver;
  before(async () => (slack = await slackReceiver().start()));
  after(() => slack.close());
  const config = () => ({ webhook_url: `${slack.url}/services/T000/B000/${'s'.repeat(24)}` });

  test('firing: Block Kit with header, text, severity, service, team, runbook and alert links, and a fallback text; Slack answers ok', async () => {
    const outcome = await slackSender.send(config(), sampleMessage(), ctx);
    assert.deepEqual(outcome, { ok: true, status: 200, detail: 'ok' });
    const body = json(slack);
    assert.deepEqual(slack.requests.at(-1)!.problems, []);
    assert.equal(body.blocks[0].type, 'header');
    assert.equal(body.blocks[0].text.text, ':rotating_light: [FIRING] checkout-down: checkout');
    assert.match(body.text, /^\[FIRING\] checkout-down: checkout — Checkout is down/);
    const all = JSON.stringify(body.blocks);
    for (const fact of ['*Severity*\\ncritical', '*Service*\\ncheckout', '*Team*\\npayments', '<https://runbooks.example.com/checkout|Runbook>', '<https://pharos.example.com/alerts/ain_01JCHECKOUT|View alert>', 'Open in Pharos']) assert.ok(all.includes(fact), `missing ${fact} in ${all}`);
  });

  test('resolved: a resolved header and the alert shown as resolved', async () => {
    assert.equal((await slackSender.send(config(), resolvedMessage(), ctx)).ok, true);
    const body = json(slack);
    assert.equal(body.blocks[0].text.text, ':white_check_mark: [RESOLVED] checkout-down: checkout');
    assert.ok(JSON.stringify(body.blocks).includes('(critical, resolved)'));
  });

  test('limits: a 500-character title, 10,000 characters of text and 60 alerts fit Slack\'s limits and are accepted', async () => {
    const outcome = await slackSender.send(config(), sampleMessage({ title: 'T'.repeat(500), text: 'x<&>'.repeat(2500), alerts: many(60) }), ctx);
    assert.equal(outcome.ok, true, JSON.stringify(slack.requests.at(-1)!.problems));
    const body = json(slack);
    assert.ok(body.blocks.length <= 50);
    assert.equal(body.blocks[0].text.text.length, 150);
    assert.ok(body.blocks[1].text.text.length <= 3000);
    assert.ok(body.blocks[1].text.text.startsWith('x&lt;&amp;&gt;'), 'mrkdwn control characters are escaped');
    assert.ok(JSON.stringify(body.blocks.at(-1)).includes('and 50 more alerts'));
  });

  test('the receiver refuses what Slack refuses, so a drifting sender fails', () => {
    const good = slackPayload({ webhook_url: 'http://x' }, sampleMessage());
    const headers = { 'content-type': 'application/json' };
    assert.deepEqual(slackProblems(headers, good), []);
    const longHeader = { ...good, blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }] };
    assert.match(slackProblems(headers, longHeader).join(), /more than 150/);
    assert.match(slackProblems(headers, { blocks: (good as { blocks: unknown[] }).blocks }).join(), /fallback "text"/);
    assert.match(slackProblems(headers, { ...good, blocks: Array(51).fill({ type: 'divider' }) }).join(), /51 blocks/);
  });

  test('the webhook URL is the secret: a vendor error quoting it comes back redacted, and a 404 is permanent', async () => {
    slack.fail(1, 404, `no_service: ${config().webhook_url}`);
    const outcome = await slackSender.send(config(), sampleMessage(), ctx);
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.retryable, false);
    noSecret(outcome, 's'.repeat(24));
    assert.match(!outcome.ok ? outcome.error : '', /HTTP 404: no_service: \[redacted\]/);
  });
});

describe('PagerDuty', () => {
  let pd: ReturnType<typeof pagerdutyReceiver>;
  const routingKey = randomBytes(16).toString('hex');
  before(async () => (pd = await pagerdutyReceiver().start()));
  after(() => pd.close());
  const config = () => ({ routing_key: routingKey, api_url: pd.url });

  test('firing triggers with the group\'s dedup_key and a full payload; resolved resolves the same key', async () => {
    const fired = await pagerdutySender.send(config(), sampleMessage({ alerts: [sampleAlert({ severity: 'warning' }), sampleAlert({ instanceId: 'ain_2', severity: 'critical' })] }), ctx);
    assert.equal(fired.ok, true, JSON.stringify(pd.requests.at(-1)!.problems));
    assert.equal(fired.ok && fired.status, 202);
    assert.match(fired.ok ? fired.detail : '', /"dedup_key":"payments\/checkout-down\/service=checkout"/);
    const event = json(pd);
    assert.equal(event.event_action, 'trigger');
    assert.equal(event.dedup_key, 'payments/checkout-down/service=checkout');
    assert.equal(event.payload.severity, 'critical', 'the worst severity of the group');
    assert.equal(event.payload.source, 'checkout');
    assert.equal(event.payload.group, 'payments');
    assert.equal(event.payload.class, 'checkout-down');
    assert.equal(event.payload.custom_details.alerts.length, 2);
    assert.deepEqual(event.links.map((l: { text: string }) => l.text), ['Open in Pharos', 'Alert: checkout-down', 'Alert: checkout-down', 'Runbook']);
    assert.equal(pd.incidents.get('payments/checkout-down/service=checkout'), 'triggered');

    assert.equal((await pagerdutySender.send(config(), resolvedMessage(), ctx)).ok, true);
    assert.deepEqual(json(pd), { routing_key: routingKey, event_action: 'resolve', dedup_key: 'payments/checkout-down/service=checkout' });
    assert.equal(pd.incidents.get('payments/checkout-down/service=checkout'), 'resolved');
  });

  test('limits: the summary is cut to 1024 characters; a dedup key over 255 becomes a stable digest that resolve reuses', async () => {
    const longKey = 'k'.repeat(400);
    assert.equal((await pagerdutySender.send(config(), sampleMessage({ title: 'S'.repeat(3000), dedupKey: longKey, alerts: many(80) }), ctx)).ok, true, JSON.stringify(pd.requests.at(-1)!.problems));
    const trigger = json(pd);
    assert.equal(trigger.payload.summary.length, 1024);
    assert.ok(trigger.dedup_key.length <= 255);
    assert.equal(trigger.payload.custom_details.alerts.length, 50);
    assert.equal(trigger.payload.custom_details.more_alerts, 30);
    await pagerdutySender.send(config(), resolvedMessage({ dedupKey: longKey }), ctx);
    assert.equal(json(pd).dedup_key, trigger.dedup_key);
    assert.equal(pd.incidents.get(trigger.dedup_key), 'resolved');
  });

  test('a test notification triggers and resolves its own key, leaving no open incident', async () => {
    const outcome = await pagerdutySender.send(config(), sampleMessage({ kind: 'test', dedupKey: 'test/chn_1/abc', alerts: [] }), ctx);
    assert.equal(outcome.ok, true);
    assert.match(outcome.ok ? outcome.detail : '', /test incident resolved/);
    assert.deepEqual(pd.requests.slice(-2).map((r) => (r.json as { event_action: string }).event_action), ['trigger', 'resolve']);
    assert.equal(pd.incidents.get('test/chn_1/abc'), 'resolved');
  });

  test('an invalid routing key is a permanent 400 and the key never appears in the outcome', async () => {
    const outcome = await pagerdutySender.send({ routing_key: 'short-key-not-32', api_url: pd.url }, sampleMessage(), ctx);
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.retryable, false);
    assert.equal(!outcome.ok && outcome.status, 400);
    pd.fail(1, 400, JSON.stringify({ status: 'invalid event', errors: [`unknown routing_key ${routingKey}`] }));
    const quoted = await pagerdutySender.send(config(), sampleMessage(), ctx);
    noSecret(quoted, routingKey);
    assert.match(!quoted.ok ? quoted.error : '', /unknown routing_key \[redacted\]/);
  });
});

describe('Datadog', () => {
  const apiKey = randomBytes(16).toString('hex');
  let dd: HttpReceiver;
  before(async () => (dd = await datadogReceiver(apiKey).start()));
  after(() => dd.close());
  const config = () => ({ api_key: apiKey, api_url: dd.url, tags: ['env:prod'] });

  test('firing is an error event with the group\'s aggregation key and tags; resolved is a success event with the same key', async () => {
    const fired = await datadogSender.send(config(), sampleMessage(), ctx);
    assert.equal(fired.ok && fired.status, 202, JSON.stringify(dd.requests.at(-1)!.problems));
    const event = json(dd);
    assert.equal(event.alert_type, 'error');
    assert.equal(event.title, '[FIRING] checkout-down: checkout');
    assert.equal(event.aggregation_key, 'payments/checkout-down/service=checkout');
    assert.equal(event.source_type_name, 'my_apps');
    for (const tag of ['env:prod', 'source:pharos', 'team:payments', 'service:checkout', 'region:us-east-1']) assert.ok(event.tags.includes(tag), `tag ${tag} in ${event.tags}`);
    assert.match(event.text, /^%%% \n[\s\S]*\[Runbook\]\(https:\/\/runbooks\.example\.com\/checkout\)[\s\S]*\n %%%$/);
    assert.equal((await datadogSender.send(config(), resolvedMessage(), ctx)).ok, true);
    assert.equal(json(dd).alert_type, 'success');
    assert.equal(json(dd).aggregation_key, event.aggregation_key);
    assert.equal(json(dd, -1).date_happened, Math.floor(json(dd, -1).date_happened));
  });

  test('limits: title at most 100 characters, text (fences included) at most 4000, aggregation key at most 100', async () => {
    const outcome = await datadogSender.send(config(), sampleMessage({ title: 'D'.repeat(300), text: 'y'.repeat(9000), dedupKey: 'a'.repeat(150), alerts: many(40) }), ctx);
    assert.equal(outcome.ok, true, JSON.stringify(dd.requests.at(-1)!.problems));
    const event = json(dd);
    assert.equal(event.title.length, 100);
    assert.ok(event.text.length <= 4000 && event.text.endsWith('\n %%%'));
    assert.ok(event.aggregation_key.length <= 100);
  });

  test('warning severity maps to a warning event; a wrong API key is a permanent 403 and the key is not in the outcome', async () => {
    await datadogSender.send(config(), sampleMessage({ alerts: [sampleAlert({ severity: 'warning' })] }), ctx);
    assert.equal(json(dd).alert_type, 'warning');
    const wrong = 'f'.repeat(32);
    const outcome = await datadogSender.send({ ...config(), api_key: wrong }, sampleMessage(), ctx);
    assert.deepEqual([outcome.ok, !outcome.ok && outcome.retryable, !outcome.ok && outcome.status], [false, false, 403]);
    noSecret(outcome, wrong, apiKey);
  });
});

describe('Standard Webhooks', () => {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  let hook: ReturnType<typeof webhookReceiver>;
  before(async () => (hook = await webhookReceiver(secret).start()));
  after(() => hook.close());
  const config = () => ({ url: `${hook.url}/pharos`, signing_secret: secret, headers: { Authorization: 'Bearer hook-token-123', 'webhook-signature': 'v1,forged' } });

  test('the signature verifies with the reference library and the body is the documented version 1', async () => {
    const outcome = await webhookSender.send(config(), sampleMessage(), ctx);
    assert.deepEqual(outcome, { ok: true, status: 204, detail: '' }, JSON.stringify(hook.requests.at(-1)!.problems));
    const req = hook.requests.at(-1)!;
    assert.equal(req.headers['webhook-id'], 'ntf_01JOUTBOXROW0001');
    assert.match(String(req.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+=*$/, 'a configured header cannot replace the signature');
    assert.equal(req.headers.authorization, 'Bearer hook-token-123');
    const body = req.json as any;
    assert.equal(body.type, 'alert.firing');
    assert.equal(body.data.version, '1');
    assert.equal(body.data.alerts[0].labels.service, 'checkout');
    await webhookSender.send(config(), resolvedMessage(), ctx);
    assert.equal(json(hook).type, 'alert.resolved');
  });

  test('a group of 60 alerts lists 50 and counts the rest; the body stays small', async () => {
    assert.equal((await webhookSender.send(config(), sampleMessage({ alerts: many(60) }), ctx)).ok, true, JSON.stringify(hook.requests.at(-1)!.problems));
    const body = json(hook);
    assert.deepEqual([body.data.alerts.length, body.data.truncated_alerts], [50, 10]);
    assert.ok(hook.requests.at(-1)!.body.length < 64 * 1024);
  });

  test('throughput: 400 signed notifications, 20 at a time over a caller-supplied undici dispatcher, each verified and delivered once', async (t) => {
    const agent = new Agent({ connections: 20 });
    const before = hook.accepted.length;
    const started = performance.now();
    try {
      const ids = Array.from({ length: 400 }, (_, i) => `ntf_bulk_${i}`);
      for (let i = 0; i < ids.length; i += 20) {
        const outcomes = await Promise.all(ids.slice(i, i + 20).map((id) => webhookSender.send(config(), sampleMessage({ id }), sendContext({ dispatcher: agent }))));
        assert.ok(outcomes.every((o) => o.ok), JSON.stringify(outcomes.find((o) => !o.ok)));
      }
      const seconds = (performance.now() - started) / 1000;
      assert.equal(hook.accepted.length - before, 400);
      assert.ok([...hook.deliveredIds()].filter((id) => id.startsWith('ntf_bulk_')).length === 400);
      t.diagnostic(`webhook sender: ${Math.round(400 / seconds)} signed notifications/s (20 concurrent, one process with the receiver)`);
    } finally {
      await agent.close();
    }
  });

  test('a retry keeps the webhook-id, so a deduplicating receiver acts once', async () => {
    const before = hook.deliveredIds().size;
    const message = sampleMessage({ id: 'ntf_retry_1' });
    hook.fail(2, 503);
    const outcomes = [await webhookSender.send(config(), message, ctx), await webhookSender.send(config(), message, ctx), await webhookSender.send(config(), message, ctx), await webhookSender.send(config(), message, ctx)];
    assert.deepEqual(outcomes.map((o) => o.ok), [false, false, true, true]);
    assert.equal(outcomes[0]!.ok === false && outcomes[0]!.retryable, true);
    assert.equal(hook.deliveredIds().size - before, 1);
  });

  test('a wrong secret fails verification (401, permanent); a secret in the old format is refused without sending', async () => {
    const other = `whsec_${randomBytes(32).toString('base64')}`;
    const outcome = await webhookSender.send({ ...config(), signing_secret: other }, sampleMessage(), ctx);
    assert.deepEqual([outcome.ok, !outcome.ok && outcome.retryable, !outcome.ok && outcome.status], [false, false, 401]);
    assert.match(hook.requests.at(-1)!.problems.join(), /signature/);
    const sent = hook.requests.length;
    const legacy = await webhookSender.send({ ...config(), signing_secret: 'a-very-secret-signing-key' }, sampleMessage(), ctx);
    assert.equal(legacy.ok, false);
    assert.match(!legacy.ok ? legacy.error : '', /whsec_/);
    noSecret(legacy, 'a-very-secret-signing-key');
    assert.equal(hook.requests.length, sent);
  });

  test('failures: 500s are retryable, 429 honours Retry-After, a receiver that never answers times out, a closed port is retryable; no secret in any outcome', async () => {
    hook.fail(1, 500).rateLimit(1, '12').rateLimit(1, new Date(Date.now() + 20_000).toUTCString());
    const e500 = await webhookSender.send(config(), sampleMessage(), ctx);
    const e429 = await webhookSender.send(config(), sampleMessage(), ctx);
    const eDate = await webhookSender.send(config(), sampleMessage(), ctx);
    assert.deepEqual([e500.ok, !e500.ok && e500.retryable, !e500.ok && e500.status], [false, true, 500]);
    assert.deepEqual([!e429.ok && e429.retryable, !e429.ok && e429.retryAfterMs], [true, 12_000]);
    const dateWait = !eDate.ok ? eDate.retryAfterMs ?? 0 : 0;
    assert.ok(dateWait > 17_000 && dateWait <= 20_000, `HTTP-date Retry-After: ${dateWait}`);

    hook.hang(1);
    const started = Date.now();
    const hung = await webhookSender.send(config(), sampleMessage(), sendContext({ timeoutMs: 400 }));
    const took = Date.now() - started;
    assert.deepEqual(hung, { ok: false, retryable: true, error: 'no answer within 400 ms' });
    assert.ok(took >= 350 && took < 2_000, `timed out after ${took} ms`);

    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const refused = await webhookSender.send({ ...config(), url: `http://127.0.0.1:${port}/hook` }, sampleMessage(), ctx);
    assert.equal(refused.ok, false);
    assert.equal(!refused.ok && refused.retryable, true);
    assert.match(!refused.ok ? refused.error : '', /ECONNREFUSED/);
    for (const o of [e500, e429, eDate, hung, refused]) noSecret(o, secret, secret.slice(6), 'hook-token-123');
  });
});

describe('E-mail (SMTP)', () => {
  let smtp: SmtpReceiver;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  before(async () => (smtp = await new SmtpReceiver({ auth: { user: 'pharos', pass: password } }).start()));
  after(() => smtp.close());
  const config = () => ({ to: ['oncall@example.com', 'lead@example.com'], from: 'alerts@pharos.example.com', smtp_host: '127.0.0.1', smtp_port: smtp.port, smtp_username: 'pharos', smtp_password: password, starttls: true });
  const tls = sendContext({ smtpCa: undefined });

  test('over STARTTLS with AUTH: plain text and escaped HTML, a Message-ID derived from the notification id', async () => {
    const outcome = await emailSender.send(config(), sampleMessage({ title: 'checkout <b>down</b> & out' }), { ...tls, smtpCa: smtp.cert.cert });
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.equal(outcome.ok && outcome.status, 250);
    const mail = smtp.messages.at(-1)!;
    assert.equal(mail.secure, true, 'the session was upgraded with STARTTLS before the message');
    assert.equal(mail.user, 'pharos');
    assert.deepEqual(mail.to, ['oncall@example.com', 'lead@example.com']);
    assert.equal(mail.parsed.subject, '[FIRING] checkout <b>down</b> & out');
    assert.equal(mail.parsed.messageId, '<pharos.ntf_01JOUTBOXROW0001@pharos.example.com>');
    assert.match(mail.parsed.text ?? '', /Checkout is down in us-east-1[\s\S]*Runbook: https:\/\/runbooks\.example\.com\/checkout/);
    const html = String(mail.parsed.html);
    assert.ok(html.includes('checkout &lt;b&gt;down&lt;/b&gt; &amp; out'), html);
    assert.ok(!html.includes('<b>down</b>'));
    assert.ok(!mail.raw.includes(password));
  });

  test('resolved mail; a retried send carries the same Message-ID', async () => {
    await emailSender.send(config(), resolvedMessage(), { ...tls, smtpCa: smtp.cert.cert });
    await emailSender.send(config(), resolvedMessage(), { ...tls, smtpCa: smtp.cert.cert });
    const [a, b] = smtp.messages.slice(-2);
    assert.equal(a!.parsed.subject, '[RESOLVED] checkout-down: checkout');
    assert.equal(a!.parsed.messageId, b!.parsed.messageId);
  });

  test('a certificate nobody vouches for is refused (permanent); a wrong password is a permanent 535 without the password', async () => {
    const untrusted = await emailSender.send(config(), sampleMessage(), tls);
    assert.equal(untrusted.ok, false);
    assert.equal(!untrusted.ok && untrusted.retryable, false);
    const wrong = `wrong-${randomBytes(6).toString('hex')}`;
    const denied = await emailSender.send({ ...config(), smtp_password: wrong }, sampleMessage(), { ...tls, smtpCa: smtp.cert.cert });
    assert.deepEqual([denied.ok, !denied.ok && denied.retryable, !denied.ok && denied.status], [false, false, 535]);
    noSecret(denied, wrong, password);
  });

  test('a server that accepts the connection and never greets times out within the deadline (retryable), leaving nothing behind', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const started = Date.now();
      const outcome = await emailSender.send({ ...config(), smtp_port: (silent.address() as { port: number }).port }, sampleMessage(), sendContext({ timeoutMs: 400 }));
      const took = Date.now() - started;
      assert.equal(outcome.ok, false);
      assert.equal(!outcome.ok && outcome.retryable, true, JSON.stringify(outcome));
      assert.ok(took >= 350 && took < 2_000, `gave up after ${took} ms`);
      noSecret(outcome, password);
      // A late failure of the abandoned send would surface here as an unhandled rejection and fail the run.
      await new Promise((r) => setTimeout(r, 600));
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  test('SMTP 451 is retryable, 550 permanent; a server without STARTTLS is refused when starttls is on', async () => {
    smtp.fail(1, 451).fail(1, 550);
    const temp = await emailSender.send(config(), sampleMessage(), { ...tls, smtpCa: smtp.cert.cert });
    const perm = await emailSender.send(config(), sampleMessage(), { ...tls, smtpCa: smtp.cert.cert });
    assert.deepEqual([!temp.ok && temp.retryable, !temp.ok && temp.status], [true, 451]);
    assert.deepEqual([!perm.ok && perm.retryable, !perm.ok && perm.status], [false, 550]);
    const plain = await new SmtpReceiver({ starttls: false }).start();
    try {
      const refused = await emailSender.send({ ...config(), smtp_port: plain.port, smtp_username: undefined, smtp_password: undefined }, sampleMessage(), tls);
      assert.equal(refused.ok, false);
      assert.equal(!refused.ok && refused.retryable, false);
      assert.equal(plain.messages.length, 0, 'nothing is sent in clear when STARTTLS is required');
      const allowed = await emailSender.send({ ...config(), smtp_port: plain.port, smtp_username: undefined, smtp_password: undefined, starttls: false }, sampleMessage(), tls);
      assert.equal(allowed.ok, true, JSON.stringify(allowed));
      assert.equal(plain.messages.at(-1)!.secure, false);
    } finally {
      await plain.close();
    }
  });
});
