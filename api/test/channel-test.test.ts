import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '../src/observability/logger.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';
import { datadogReceiver, pagerdutyReceiver, slackReceiver, SmtpReceiver, webhookReceiver, type HttpReceiver } from './support/vendor-receivers/index.ts';

// POST /v1/channels/{id}/test through HTTP: the stored (write-only) secrets are used, each vendor's
// local receiver gets a valid test notification, the answer is the vendor's, and no secret shows up
// in the answer, the logs or the audit log.

const skip = postgresSkip();
let api: TestApi;
let team: { id: string; name: string };
const logs: string[] = [];
const secrets = {
  slackPath: `/services/T0001/B0001/${randomBytes(12).toString('hex')}`,
  routingKey: randomBytes(16).toString('hex'),
  ddKey: randomBytes(16).toString('hex'),
  whsec: `whsec_${randomBytes(32).toString('base64')}`,
  smtpPassword: `smtp-${randomBytes(8).toString('hex')}`,
};
let slack: HttpReceiver;
let pd: ReturnType<typeof pagerdutyReceiver>;
let dd: HttpReceiver;
let hook: ReturnType<typeof webhookReceiver>;
let smtp: SmtpReceiver;

before(async () => {
  if (skip) return;
  [slack, pd, dd, hook] = await Promise.all([slackReceiver().start(), pagerdutyReceiver().start(), datadogReceiver(secrets.ddKey).start(), webhookReceiver(secrets.whsec).start()]);
  smtp = await new SmtpReceiver({ auth: { user: 'pharos', pass: secrets.smtpPassword } }).start();
  const capture = new Writable({ write: (chunk, _e, cb) => (logs.push(String(chunk)), cb()) });
  api = await startTestApi({ app: { logger: createLogger('debug', capture), channelTest: { timeoutMs: 600, context: { smtpCa: smtp.cert.cert } } } });
  team = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('payments') });
});
after(async () => {
  await api?.close();
  await Promise.all([slack?.close(), pd?.close(), dd?.close(), hook?.close(), smtp?.close()]);
});

const channel = async (type: string, config: Record<string, unknown>) => (await expectOk(api, 'POST', '/v1/channels', api.adminToken, { name: unique(type), team_id: team.id, type, [type]: config })).id as string;
const testChannel = (id: string, token?: string) => api.call('POST', `/v1/channels/${id}/test`, token ? { token } : {});
const leaks = (text: string) => Object.values(secrets).filter((s) => text.includes(s));

test('every channel type: the vendor gets a valid test notification built with the stored secrets, and the answer is the vendor\'s', { skip }, async () => {
  const ids = {
    slack: await channel('slack', { webhook_url: `${slack.url}${secrets.slackPath}` }),
    pagerduty: await channel('pagerduty', { routing_key: secrets.routingKey, api_url: pd.url }),
    datadog: await channel('datadog', { api_key: secrets.ddKey, api_url: dd.url }),
    webhook: await channel('webhook', { url: `${hook.url}/pharos`, signing_secret: secrets.whsec }),
    email: await channel('email', { to: ['oncall@example.com'], from: 'alerts@example.com', smtp_host: '127.0.0.1', smtp_port: smtp.port, smtp_username: 'pharos', smtp_password: secrets.smtpPassword }),
  };
  const answers: Record<string, any> = {};
  for (const [type, id] of Object.entries(ids)) {
    const res = await testChannel(id);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.headers.get('cache-control'), 'no-store');
    answers[type] = res.body;
    assert.equal(res.body.ok, true, `${type}: ${JSON.stringify(res.body)}`);
    assert.ok(Number.isInteger(res.body.duration_ms) && res.body.duration_ms >= 0);
    assert.deepEqual(leaks(JSON.stringify(res.body)), [], `${type} answer leaks a secret`);
  }
  assert.deepEqual([answers.slack.status, answers.slack.detail], [200, 'ok']);
  assert.match(String((slack.accepted.at(-1)!.json as { text: string }).text), /^\[TEST\] Test notification for channel "slack-/);
  assert.equal(answers.pagerduty.status, 202);
  assert.match(answers.pagerduty.detail, /"status":"success".*test incident resolved/);
  assert.deepEqual([...pd.incidents.values()], ['resolved'], 'the test leaves no open PagerDuty incident');
  assert.equal(answers.datadog.status, 202);
  assert.equal((dd.accepted.at(-1)!.json as { alert_type: string }).alert_type, 'info');
  assert.equal(answers.webhook.status, 204);
  assert.equal((hook.accepted.at(-1)!.json as { type: string }).type, 'notification.test', 'signature verified by the Standard Webhooks library');
  assert.equal(answers.email.status, 250);
  assert.equal(smtp.messages.at(-1)!.secure, true);
  assert.match(smtp.messages.at(-1)!.parsed.subject ?? '', /^\[TEST\] Test notification for channel "email-/);

  const audit = JSON.stringify((await api.call('GET', '/v1/audit?limit=200')).body);
  assert.deepEqual(leaks(audit), [], 'no secret in the audit log');
  assert.deepEqual(leaks(logs.join('')), [], 'no secret in the logs');
  assert.ok(logs.some((l) => l.includes('/test')), 'the requests were logged (so the check above looked at something)');
});

test('vendor failures come back as the vendor\'s answer: 500 retryable, 400 permanent, no answer within the deadline', { skip }, async () => {
  const id = await channel('webhook', { url: `${hook.url}/pharos`, signing_secret: secrets.whsec });
  hook.fail(1, 500, 'upstream broke');
  const e500 = await testChannel(id);
  assert.equal(e500.status, 200);
  assert.deepEqual({ ...e500.body, duration_ms: 0 }, { ok: false, status: 500, error: 'HTTP 500: upstream broke', retryable: true, duration_ms: 0 });
  hook.rateLimit(1, '30');
  assert.equal((await testChannel(id)).body.retry_after_ms, 30_000);
  hook.hang(1);
  const hung = await testChannel(id);
  assert.deepEqual([hung.body.ok, hung.body.retryable, hung.body.error], [false, true, 'no answer within 600 ms']);
  assert.ok(hung.body.duration_ms >= 550 && hung.body.duration_ms < 3_000, `${hung.body.duration_ms} ms`);
  const badKey = await channel('pagerduty', { routing_key: 'not-a-32-character-key', api_url: pd.url });
  const refused = await testChannel(badKey);
  assert.deepEqual([refused.body.ok, refused.body.status, refused.body.retryable], [false, 400, false]);
  assert.match(refused.body.error, /invalid event/);
  assert.ok(!JSON.stringify(refused.body).includes('not-a-32-character-key'));
});

test('access: team editors may test, viewers get 403, other teams and unknown ids 404; nothing is sent then', { skip }, async () => {
  const id = await channel('webhook', { url: `${hook.url}/pharos`, signing_secret: secrets.whsec });
  const token = async (role: string, teamId: string) => (await expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique(role), role, team_id: teamId })).token as string;
  const other = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('other') });
  const sent = hook.requests.length;
  const viewer = await testChannel(id, await token('viewer', team.id));
  assert.equal(viewer.status, 403);
  assert.match(viewer.body.detail, /team_editor/);
  assert.equal((await testChannel(id, await token('team_admin', other.id))).status, 404);
  const unknown = await testChannel('chn_01JUNKNOWN00000000000000000');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  assert.equal(hook.requests.length, sent, 'refused calls send nothing');
  assert.equal((await testChannel(id, await token('team_editor', team.id))).body.ok, true);
  assert.equal(hook.requests.length, sent + 1);
});
