import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createTestDatabase, postgresSkip } from '../../api/test/support/harness.ts';
import { webhookReceiver, type WebhookReceiver } from '../../api/test/support/vendor-receivers/index.ts';
import { callJson, startApiProcess, waitFor, type ApiProc } from './support/processes.ts';
import { queryDatabase } from './support/pg-query.ts';

// Two control-plane processes on one PostgreSQL, both running the router, the flush loop and the
// dispatcher, and 200 alerts firing in one evaluation (a rule over 200 services without monitors),
// each its own notification group (group_by ["..."]): the signed webhook receiver gets every page
// exactly once (one accepted request per webhook-id, one page per alert), then, when the rule is
// disabled, every resolution exactly once. Prints the notification throughput (pages/s from the
// first to the last delivery, by the dispatchers' own clocks) and the split between the replicas.

const skip = postgresSkip();
const ALERTS = 200;
let dbUrl: string;
let receiver: WebhookReceiver;
const secret = `whsec_${randomBytes(32).toString('base64')}`;

before(async () => {
  if (skip) return;
  dbUrl = await createTestDatabase();
  receiver = (await webhookReceiver(secret).start()) as WebhookReceiver;
});
after(async () => receiver?.close());

const query = (sql: string, params: unknown[] = []) => queryDatabase(dbUrl, sql, params);

type Page = { type: string; data: { id: string; alerts: Array<{ id: string; state: string }> } };

/** Delivered attempts a replica counted (its /metrics). */
async function deliveredBy(api: ApiProc): Promise<number> {
  const text = await (await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${api.token}` } })).text();
  const line = text.split('\n').find((l) => l.startsWith('pharos_notification_attempts_total{') && l.includes('outcome="delivered"'));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** Pages/s between the first and last delivery of the notifications of one kind, and how long that took. */
async function throughput(kind: string): Promise<{ perSecond: number; spanMs: number }> {
  const [row] = await query(`SELECT count(*)::int AS n, extract(epoch FROM max(delivered_at) - min(delivered_at)) * 1000 AS span FROM notifications WHERE kind = $1 AND state = 'delivered'`, [kind]);
  const spanMs = Math.max(1, Number(row.span));
  return { perSecond: Math.round(((row.n - 1) / spanMs) * 1000), spanMs: Math.round(spanMs) };
}

/** Each accepted page of a kind: asserts one accepted request per webhook-id and one page per alert; returns the alert ids. */
function exactlyOnce(kind: 'alert.firing' | 'alert.resolved'): Set<string> {
  const accepted = receiver.accepted.filter((q) => (q.json as Page).type === kind);
  const ids = accepted.map((q) => String(q.headers['webhook-id']));
  assert.equal(new Set(ids).size, ids.length, `${kind}: a webhook-id accepted twice`);
  const alerts = accepted.flatMap((q) => (q.json as Page).data.alerts.filter((a) => a.state === (kind === 'alert.firing' ? 'firing' : 'resolved')).map((a) => a.id));
  assert.equal(new Set(alerts).size, alerts.length, `${kind}: an alert paged twice`);
  return new Set(alerts);
}

test('two replicas and 200 alerts at once: every page and every resolution delivered exactly once', { skip, timeout: 120_000 }, async () => {
  const first = await startApiProcess(dbUrl);
  const second = await startApiProcess(dbUrl, {}, undefined, first.token);
  try {
    const replicas = [first, second];
    let turn = 0;
    const call = (method: string, path: string, body?: unknown) => callJson(replicas[turn++ % 2]!.url, first.token, method, path, body);
    const team = await call('POST', '/v1/teams', { name: 'replicas' });
    const channel = await call('POST', '/v1/channels', { name: 'hook', team_id: team.id, type: 'webhook', webhook: { url: `${receiver.url}/hook`, signing_secret: secret } });
    await call('POST', '/v1/routing-policies', { name: 'each-alert', team_id: team.id, channel_ids: [channel.id], group_by: ['...'], group_wait: '0s', group_interval: '1s' });
    for (let i = 0; i < ALERTS; i += 10) {
      await Promise.all(Array.from({ length: Math.min(10, ALERTS - i) }, (_, k) => call('POST', '/v1/services', { name: `svc-${i + k}`, team_id: team.id })));
    }

    // One rule, true for all 200 services at once (none has a monitor): 200 alerts in one evaluation.
    const created = Date.now();
    const rule = await call('POST', '/v1/alert-rules', { name: 'no-data', team_id: team.id, expression: `unknown(services(team="${team.name}"))`, for_duration: '0s', severity: 'critical' });
    const pages = await waitFor('every page delivered', 60_000, async () => {
      const firing = exactlyOnce('alert.firing');
      return firing.size >= ALERTS ? firing : undefined;
    }, 100);
    const firstLeg = Date.now() - created;
    const fired = await query(`SELECT id FROM alert_instances WHERE rule_id = $1 AND state = 'firing'`, [rule.id]);
    assert.equal(fired.length, ALERTS);
    assert.deepEqual([...pages].sort(), fired.map((r) => r.id).sort(), 'one page for each alert');
    // The receiver has every page; a replica marks its row delivered when the answer reaches it, a
    // moment after the receiver counted the page.
    const pageRows = await waitFor('every page row marked delivered', 10_000, async () => {
      const rows = await query(`SELECT state, count(*)::int AS n FROM notifications WHERE kind = 'firing' GROUP BY state`);
      return rows.length === 1 && rows[0]!.state === 'delivered' ? rows : rows.some((r) => r.state === 'sending' || r.state === 'pending') ? undefined : rows;
    }, 100);
    assert.deepEqual(pageRows, [{ state: 'delivered', n: ALERTS }], 'one outbox row per alert, each delivered');
    const firingRate = await throughput('firing');
    const firingSplit = await Promise.all(replicas.map(deliveredBy));

    // Every alert resolves at once: each resolution exactly once.
    const disabled = Date.now();
    await call('PATCH', `/v1/alert-rules/${rule.id}`, { enabled: false });
    const resolutions = await waitFor('every resolution delivered', 60_000, async () => {
      const resolved = exactlyOnce('alert.resolved');
      return resolved.size >= ALERTS ? resolved : undefined;
    }, 100);
    const secondLeg = Date.now() - disabled;
    assert.deepEqual([...resolutions].sort(), [...pages].sort(), 'a resolution for every page');
    await new Promise((r) => setTimeout(r, 1_500));
    exactlyOnce('alert.firing');
    exactlyOnce('alert.resolved');
    assert.equal(receiver.accepted.length, ALERTS * 2, 'nothing sent twice, nothing more');
    const rows = await query(`SELECT kind, state, count(*)::int AS n FROM notifications GROUP BY kind, state ORDER BY kind`);
    assert.deepEqual(rows, [{ kind: 'firing', state: 'delivered', n: ALERTS }, { kind: 'resolved', state: 'delivered', n: ALERTS }]);
    const resolvedRate = await throughput('resolved');

    const split = await Promise.all(replicas.map(deliveredBy));
    assert.equal(split[0]! + split[1]!, receiver.accepted.length, 'the replicas\' counts add up to what the receiver accepted');
    assert.ok(split.every((n) => n > 0), `both replicas delivered: ${split.join(' + ')}`);
    console.log(`notification throughput, 2 replicas, ${ALERTS} webhook pages: firing ${firingRate.perSecond} pages/s (${firingRate.spanMs} ms first to last), resolved ${resolvedRate.perSecond} pages/s (${resolvedRate.spanMs} ms); rule created → last page ${firstLeg} ms, rule disabled → last resolution ${secondLeg} ms; delivered by replica: pages ${firingSplit.join(' + ')}, in all ${split.join(' + ')}; receiver requests ${receiver.requests.length}`);
  } finally {
    await first.stop();
    await second.stop();
  }
});
