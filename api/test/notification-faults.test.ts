import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { NotificationRepository } from '../src/modules/notifications/notification.repository.ts';
import { waitFor } from '../../scripts/test/support/processes.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { webhookReceiver, type WebhookReceiver } from './support/vendor-receivers/index.ts';
import { expectOk, unique } from './support/world.ts';

// Delivery faults on PostgreSQL, through the whole pipeline (rule → alert → routing → outbox →
// dispatcher → a receiver that verifies the Standard Webhooks signature): a receiver that never
// answers, a 429 with Retry-After, a permanent 4xx, a process that died between claim and send,
// a resolution that must wait for its retrying trigger, and a replica that does not send.
// Alerts fire at once: a rule `unknown(service(...))` over a service without monitors is true as
// soon as it is evaluated; disabling the rule resolves it.

type Hook = { type: string; data: { id: string; dedup_key: string; alerts: Array<{ id: string; state: string }> } };
type Listed = { id: string; state: string; kind: string; attempts: number; next_attempt_at: string | null; last_status: number | null; last_error: string | null; alert_ids: string[] };

const skip = postgresSkip();
const retry = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 1_000 };

/** A team whose catch-all policy pages one signed webhook channel, and a way to fire and resolve alerts for it. */
async function pagedTeam(api: TestApi) {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const receiver = (await webhookReceiver(secret).start()) as WebhookReceiver;
  const team = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('team') });
  const channel = await expectOk(api, 'POST', '/v1/channels', api.adminToken, { name: unique('hook'), team_id: team.id, type: 'webhook', webhook: { url: `${receiver.url}/hook`, signing_secret: secret } });
  await expectOk(api, 'POST', '/v1/routing-policies', api.adminToken, { name: unique('all'), team_id: team.id, channel_ids: [channel.id], group_wait: '0s', group_interval: '1s' });
  const service = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('svc'), team_id: team.id });
  return {
    receiver,
    channelId: channel.id as string,
    /** Fires an alert (a rule true at once); resolves to the rule and alert ids. */
    async fire(): Promise<{ ruleId: string; alertId: string }> {
      const rule = await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { name: unique('rule'), team_id: team.id, expression: `unknown(service("${service.name}"))`, for_duration: '0s', severity: 'critical' });
      await api.app.alerts.evaluateRule(api.orgId, rule.id);
      const alert = await waitFor('the alert firing', 10_000, () => api.database.db.selectFrom('alert_instances').select(['id', 'state']).where('rule_id', '=', rule.id).where('state', '=', 'firing').executeTakeFirst(), 50);
      return { ruleId: rule.id, alertId: alert.id };
    },
    async resolve(ruleId: string): Promise<void> {
      await expectOk(api, 'PATCH', `/v1/alert-rules/${ruleId}`, api.adminToken, { enabled: false });
      await api.app.alerts.evaluateRule(api.orgId, ruleId);
    },
  };
}

const listed = async (api: TestApi, alertId: string): Promise<Listed[]> => (await api.call('GET', `/v1/notifications?alert_id=${alertId}`)).body.items;
const bodies = (r: WebhookReceiver) => r.accepted.map((q) => q.json as Hook);
const triesOf = (r: WebhookReceiver, webhookId: string) => r.requests.filter((q) => q.headers['webhook-id'] === webhookId);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('notification delivery faults', { skip }, () => {
  let api: TestApi;
  const receivers: WebhookReceiver[] = [];

  before(async () => {
    api = await startTestApi({ app: { alertTickMs: 60_000, consumerSettings: { pollMs: 200 }, notifications: { pollMs: 100, retry, sendTimeoutMs: 500, claimMs: 10_000 } } });
  });
  after(async () => {
    await api?.close();
    for (const r of receivers) await r.close();
  });

  test('a receiver that never answers: dead after the configured tries, visible with its attempts and last error; the API keeps working', { timeout: 30_000 }, async () => {
    const team = await pagedTeam(api);
    receivers.push(team.receiver);
    team.receiver.hang(retry.maxAttempts);
    const { alertId } = await team.fire();
    const dead = await waitFor('the notification dead', 20_000, async () => (await listed(api, alertId)).find((n) => n.state === 'dead'), 100);
    assert.equal(dead.attempts, retry.maxAttempts);
    assert.equal(dead.next_attempt_at, null);
    assert.match(dead.last_error ?? '', /no answer within 500 ms \(gave up after 3 tries\)/);
    const detail = (await api.call('GET', `/v1/notifications/${dead.id}`)).body;
    assert.deepEqual(detail.history.map((h: { ok: boolean; error: string }) => `${h.ok}:${h.error}`), Array(retry.maxAttempts).fill('false:no answer within 500 ms'));
    assert.equal(team.receiver.requests.length, retry.maxAttempts, 'one request per try, no more');
    assert.equal(new Set(team.receiver.requests.map((q) => q.headers['webhook-id'])).size, 1, 'every try is the same webhook-id');
    await sleep(800);
    assert.equal(team.receiver.requests.length, retry.maxAttempts, 'a dead notification is never tried again');
    // Nothing crashed: the API answers, and the next alert of the same channel is delivered.
    assert.equal((await api.call('GET', '/healthz')).status, 200);
    const next = await team.fire();
    await waitFor('the next page delivered', 10_000, async () => (await listed(api, next.alertId)).find((n) => n.state === 'delivered'), 100);
  });

  test('429 with Retry-After: the next try waits at least that long, then the page is delivered once', { timeout: 30_000 }, async () => {
    const team = await pagedTeam(api);
    receivers.push(team.receiver);
    team.receiver.rateLimit(1, '2');
    const { alertId } = await team.fire();
    const waiting = await waitFor('the rate-limited notification pending', 10_000, async () => (await listed(api, alertId)).find((n) => n.state === 'pending' && n.attempts === 1), 50);
    const first = (await api.call('GET', `/v1/notifications/${waiting.id}`)).body.history[0];
    assert.equal(first.status, 429);
    assert.ok(Date.parse(waiting.next_attempt_at!) >= Date.parse(first.at) + first.duration_ms + 2_000, `next try at ${waiting.next_attempt_at}, 429 at ${first.at}: Retry-After 2 s ignored`);
    const delivered = await waitFor('the page delivered', 15_000, async () => (await listed(api, alertId)).find((n) => n.state === 'delivered'), 100);
    const history = (await api.call('GET', `/v1/notifications/${delivered.id}`)).body.history as Array<{ at: string; status: number }>;
    assert.deepEqual(history.map((h) => h.status), [429, 204]);
    assert.ok(Date.parse(history[1]!.at) - Date.parse(history[0]!.at) >= 2_000, `retried ${Date.parse(history[1]!.at) - Date.parse(history[0]!.at)} ms after the 429`);
    assert.equal(team.receiver.deliveredIds().size, 1);
    assert.equal(team.receiver.accepted.length, 1, 'delivered once');
  });

  test('a channel whose stored secrets no key opens: tries fail with secret_undecryptable, nothing is sent without them; with the secrets back the next page goes out', { timeout: 30_000 }, async () => {
    const team = await pagedTeam(api);
    const other = await pagedTeam(api);
    receivers.push(team.receiver, other.receiver);
    const stored = await api.database.db.selectFrom('channels').select('secrets').where('id', '=', team.channelId).executeTakeFirstOrThrow();
    // Another row's ciphertext: bound to that row (AAD), so it does not decrypt here.
    await sql`UPDATE channels SET secrets = (SELECT secrets FROM channels WHERE id = ${other.channelId}) WHERE id = ${team.channelId}`.execute(api.database.db);
    const { alertId } = await team.fire();
    const dead = await waitFor('the notification dead', 20_000, async () => (await listed(api, alertId)).find((n) => n.state === 'dead'), 100);
    assert.equal(dead.attempts, retry.maxAttempts, 'retried: a key put back in time still delivers');
    assert.match(dead.last_error ?? '', /^secret_undecryptable: The stored secrets of channels .* cannot be decrypted/);
    assert.equal(team.receiver.requests.length, 0, 'nothing was sent without the secrets');
    await sql`UPDATE channels SET secrets = ${JSON.stringify(stored.secrets)}::jsonb WHERE id = ${team.channelId}`.execute(api.database.db);
    const next = await team.fire();
    await waitFor('the next page delivered', 10_000, async () => (await listed(api, next.alertId)).find((n) => n.state === 'delivered'), 100);
    assert.ok(team.receiver.accepted.length >= 1, 'signed with the decrypted secret and verified by the receiver');
  });

  for (const status of [400, 404]) {
    test(`a permanent ${status}: dead after one try, never retried`, { timeout: 20_000 }, async () => {
      const team = await pagedTeam(api);
      receivers.push(team.receiver);
      team.receiver.fail(1, status, 'no such hook');
      const { alertId } = await team.fire();
      const dead = await waitFor('the notification dead', 10_000, async () => (await listed(api, alertId)).find((n) => n.state === 'dead'), 50);
      assert.equal(dead.attempts, 1);
      assert.equal(dead.last_status, status);
      assert.equal(dead.last_error, `HTTP ${status}: no such hook`);
      await sleep(1_200);
      assert.equal(team.receiver.requests.length, 1, 'no retry');
      assert.equal((await listed(api, alertId))[0]!.attempts, 1);
    });
  }

  test('a resolution never overtakes its retrying trigger: the receiver sees the trigger, then the resolution', { timeout: 30_000 }, async () => {
    const team = await pagedTeam(api);
    receivers.push(team.receiver);
    team.receiver.rateLimit(1, '3'); // the trigger's next try is 3 s away; the resolution is due after group_interval (1 s)
    const { ruleId, alertId } = await team.fire();
    await waitFor('the trigger failing once', 10_000, async () => team.receiver.requests.length >= 1 || undefined, 20);
    await team.resolve(ruleId);
    // The resolution is in the outbox, due now, while its trigger waits for its next try.
    const both = await waitFor('the resolution written', 10_000, async () => {
      const rows = await listed(api, alertId);
      return rows.some((n) => n.kind === 'resolved') ? rows : undefined;
    }, 50);
    assert.equal(both.find((n) => n.kind === 'firing')!.state === 'delivered', false, 'the trigger was still retrying when the alert resolved (the case under test)');
    await waitFor('both delivered', 20_000, async () => (await listed(api, alertId)).every((n) => n.state === 'delivered') || undefined, 100);
    assert.deepEqual(bodies(team.receiver).map((b) => b.type), ['alert.firing', 'alert.resolved']);
    assert.deepEqual(team.receiver.requests.map((q) => q.status), [429, 204, 204], 'the resolution was not sent while the trigger retried');
    const [firing, resolved] = bodies(team.receiver);
    assert.equal(firing!.data.dedup_key, resolved!.data.dedup_key);
  });
});

describe('a replica that does not send, and a process that died between claim and send', { skip }, () => {
  let quiet: TestApi;
  let sender: TestApi | undefined;
  let team: Awaited<ReturnType<typeof pagedTeam>>;

  before(async () => {
    quiet = await startTestApi({ app: { alertTickMs: 60_000, consumerSettings: { pollMs: 200 }, notifications: { enabled: false, pollMs: 100, retry, sendTimeoutMs: 500, claimMs: 10_000 } } });
    team = await pagedTeam(quiet);
  });
  after(async () => {
    await sender?.close();
    await quiet?.close();
    await team?.receiver.close();
  });

  test('notifications off: the notification is written to the outbox, never sent', { timeout: 20_000 }, async () => {
    const { alertId } = await team.fire();
    const row = await waitFor('the outbox row', 10_000, async () => (await listed(quiet, alertId))[0], 50);
    assert.deepEqual([row.kind, row.state, row.attempts], ['firing', 'pending', 0]);
    await sleep(1_200);
    assert.equal(team.receiver.requests.length, 0, 'nothing sent');
    assert.deepEqual((await listed(quiet, alertId)).map((n) => [n.state, n.attempts]), [['pending', 0]]);
  });

  test('a row claimed by a process that died before recording is delivered once by a replica that sends; a live claim is left alone', { timeout: 30_000 }, async () => {
    const crashed = await team.fire();
    const live = await team.fire();
    const rows = await waitFor('both outbox rows', 10_000, async () => {
      const a = (await listed(quiet, crashed.alertId))[0];
      const b = (await listed(quiet, live.alertId))[0];
      return a && b ? [a, b] : undefined;
    }, 50);
    const repo = new NotificationRepository();
    const db = quiet.database.db;
    const claim = async (id: string, until: number) => {
      const token = randomUUID();
      await db.updateTable('notifications').set({ next_attempt_at: new Date(Date.now() + 3_600_000) }).where('state', '=', 'pending').where('id', '!=', id).execute();
      const claimed = await repo.claimDue(db, new Date(), 10, new Date(until), token);
      await db.updateTable('notifications').set({ next_attempt_at: new Date() }).where('state', '=', 'pending').execute();
      assert.deepEqual(claimed.map((c) => c.id), [id]);
      return token;
    };
    // Another process is still sending this one: its claim holds for a minute.
    await claim(rows[1]!.id, Date.now() + 60_000);
    // The state a crash leaves: claimed (attempt counted, token set), never recorded; its claim expired.
    await claim(rows[0]!.id, Date.now() - 1_000);
    const before = await db.selectFrom('notifications').select(['state', 'attempts', 'claim_token']).where('id', '=', rows[0]!.id).executeTakeFirstOrThrow();
    assert.equal(before.state, 'sending');
    assert.equal(before.attempts, 1);
    assert.ok(before.claim_token);

    // Another process that sends, on the same database (the restarted one).
    sender = await startTestApi({ database: quiet.database, app: { alertTickMs: 60_000, consumerSettings: { pollMs: 200 }, notifications: { pollMs: 100, retry, sendTimeoutMs: 500, claimMs: 10_000 } } });
    const delivered = await waitFor('the crashed claim delivered', 10_000, async () => (await listed(sender!, crashed.alertId)).find((n) => n.state === 'delivered'), 50);
    assert.equal(delivered.attempts, 2, 'the lost try counts');
    await sleep(1_500);
    const ids = team.receiver.requests.map((q) => String(q.headers['webhook-id']));
    assert.equal(ids.filter((id) => id === ids[0]).length, 1, 'delivered exactly once');
    const pages = bodies(team.receiver);
    assert.deepEqual(pages.map((p) => p.data.alerts[0]!.id).filter((a) => a === crashed.alertId || a === live.alertId), [crashed.alertId], 'the live claim is not sent by another process');
    // Everything else pending in the outbox (written while notifications were off) goes out once too.
    await waitFor('the earlier pending page delivered', 10_000, async () => (await quiet.call('GET', '/v1/notifications?state=pending')).body.items.length === 0 || undefined, 100);
    const all = team.receiver.accepted.map((q) => String(q.headers['webhook-id']));
    assert.equal(new Set(all).size, all.length, 'no webhook-id twice');
    assert.equal(triesOf(team.receiver, String(team.receiver.accepted[0]!.headers['webhook-id'])).length, 1);
  });
});

describe('a vendor that hangs does not hold back other pages', { skip }, () => {
  let api: TestApi;
  const receivers: WebhookReceiver[] = [];

  before(async () => {
    api = await startTestApi({ app: { alertTickMs: 60_000, consumerSettings: { pollMs: 200 }, notifications: { pollMs: 100, retry: { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 200 }, sendTimeoutMs: 4_000, claimMs: 1_000 } } });
  });
  after(async () => {
    await api?.close();
    for (const r of receivers) await r.close();
  });

  test('while one channel\'s receiver never answers, another team\'s page is delivered at once, not after the send timeout, and the hanging one is not sent twice', { timeout: 30_000 }, async () => {
    const hung = await pagedTeam(api);
    const healthy = await pagedTeam(api);
    receivers.push(hung.receiver, healthy.receiver);
    hung.receiver.hang(2);
    await hung.fire();
    await waitFor('the hanging request', 10_000, async () => hung.receiver.requests.length >= 1 || undefined, 20);
    const hangingSince = Date.now();
    const started = Date.now();
    const { alertId } = await healthy.fire();
    await waitFor('the other page delivered', 10_000, async () => (await listed(api, alertId)).find((n) => n.state === 'delivered'), 50);
    const tookMs = Date.now() - started;
    assert.ok(tookMs < 2_500, `the page took ${tookMs} ms: it waited for the hanging send (timeout 4 s)`);
    assert.equal(healthy.receiver.accepted.length, 1);
    // The claim outlasts the attempt: no second send of the hanging notification while the first is
    // in flight, though claimMs (1 s) is shorter than the send timeout (4 s).
    await sleep(hangingSince + 2_500 - Date.now());
    assert.equal(hung.receiver.requests.length, 1, 'the notification was sent again while its first try was in flight');
  });
});
