import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { postgresSkip, startTestApi, type TestApi } from '../../api/test/support/harness.ts';
import { createFleetModel, DeclareConflictError, declareFleet, PharosClient, startFleet, type RunningFleet } from '../demo/demo.api.ts';
import { formatPage, generateWebhookSecret, pagesOf, type Page } from '../demo/pager.inbox.ts';
import type { Browser } from 'playwright-core';
import { freePort, isAlive, startRunnerProcess, waitFor, type Proc } from './support/processes.ts';
import { browserSkip, launchBrowser } from './support/browser.ts';
import { openConsole, type ConsolePage } from './support/console.ts';

// Who gets paged: `npm run demo` declares a signed webhook pager, a routing policy and alert rules
// per team. Replaying the reference outage pages the owning team (fulfillment) and no other, and
// healing brings the resolution. The pagers verify every request with the standardwebhooks library.
// Run with: npm test -- scripts/test/demo-pager.test.ts

const root = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

describe('the pager endpoint of the control server', () => {
  let fleet: RunningFleet;
  const secret = generateWebhookSecret();
  before(async () => {
    fleet = await startFleet({ controlPort: 0 });
    fleet.pager.setSecrets({ fulfillment: secret });
  });
  after(() => fleet?.stop());

  const body = (status: 'firing' | 'resolved') => JSON.stringify({
    type: `alert.${status}`,
    timestamp: new Date().toISOString(),
    data: {
      version: '1', id: 'ntf_1', status, title: 't', text: 't', team: 'fulfillment', group_key: 'k', group_labels: {}, dedup_key: 'd', console_url: null, truncated_alerts: 0,
      alerts: [{ id: 'ain_1', rule_id: 'alr_1', rule_name: 'fulfillment-path-blocked', severity: 'critical', state: status, labels: { service: 'shipping-integration', monitor: 'shipping-integration-reaches-carrier-api' }, annotations: {}, starts_at: new Date().toISOString(), ends_at: null, value: 1, url: null }],
    },
  });
  const post = (team: string, id: string, text: string, signWith = secret) => {
    const signature = new Webhook(signWith).sign(id, new Date(), text);
    return fetch(`${fleet.controlUrl}/pages/${team}`, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': signature }, body: text });
  };

  test('a signed page is recorded once and listed; a forged or unsigned one is refused with 401', async () => {
    const printed: string[] = [];
    fleet.pager.onPage((p) => printed.push(formatPage(p)));
    assert.equal((await post('fulfillment', 'msg_forged', body('firing'), generateWebhookSecret())).status, 401, 'signed with another secret');
    const unsigned = await fetch(`${fleet.controlUrl}/pages/fulfillment`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body('firing') });
    assert.equal(unsigned.status, 401);
    assert.equal(((await unsigned.json()) as { code: string }).code, 'unauthorized');
    assert.equal((await post('checkout', 'msg_1', body('firing'))).status, 401, 'checkout has no secret yet');
    assert.equal((await post('nobody', 'msg_1', body('firing'))).status, 404);
    const tampered = body('firing');
    const signature = new Webhook(secret).sign('msg_t', new Date(), tampered);
    const changed = await fetch(`${fleet.controlUrl}/pages/fulfillment`, { method: 'POST', headers: { 'webhook-id': 'msg_t', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': signature }, body: tampered.replace('critical', 'info') });
    assert.equal(changed.status, 401, 'a body changed after signing');
    assert.deepEqual(fleet.pager.list(), [], 'nothing refused is recorded');

    assert.equal((await post('fulfillment', 'msg_1', body('firing'))).status, 204);
    assert.equal((await post('fulfillment', 'msg_1', body('firing'))).status, 204, 'a retry is acknowledged');
    assert.equal((await post('fulfillment', 'msg_2', body('resolved'))).status, 204);
    const { pages } = (await (await fetch(`${fleet.controlUrl}/pages`)).json()) as { pages: Page[] };
    assert.deepEqual(pages.map((p) => [p.team, p.status, p.severity, p.rule, p.service, p.monitor]), [
      ['fulfillment', 'firing', 'critical', 'fulfillment-path-blocked', 'shipping-integration', 'shipping-integration-reaches-carrier-api'],
      ['fulfillment', 'resolved', 'critical', 'fulfillment-path-blocked', 'shipping-integration', 'shipping-integration-reaches-carrier-api'],
    ], 'the retry is recorded once');
    assert.equal(printed.length, 2);
    assert.match(printed[0]!, /^PAGE → fulfillment {2}FIRING {4}critical {2}fulfillment-path-blocked: shipping-integration \/ shipping-integration-reaches-carrier-api {2}\(\d\d:\d\d:\d\d\)$/);
    assert.match(printed[1]!, /^PAGE → fulfillment {2}RESOLVED {2}critical/);
  });

  test('an edge alert\'s page names the edge (service → depends_on)', () => {
    const [page] = pagesOf('fulfillment', 'msg_e', { data: { status: 'firing', alerts: [{ id: 'ain_2', rule_name: 'fulfillment-path-blocked', severity: 'critical', state: 'firing', labels: { service: 'fulfillment-api', depends_on: 'shipping-integration', edge: 'fulfillment-api → shipping-integration' } }] } }, new Date('2026-12-01T12:03:04Z'));
    assert.deepEqual([page!.service, page!.depends_on, page!.monitor], ['fulfillment-api', 'shipping-integration', null]);
    assert.equal(formatPage(page!), 'PAGE → fulfillment  FIRING    critical  fulfillment-path-blocked: fulfillment-api → shipping-integration  (12:03:04)');
  });

  test('POST /pager-secrets takes whsec_ secrets of the fleet\'s teams only, and never answers them', async () => {
    const bad = await fetch(`${fleet.controlUrl}/pager-secrets`, { method: 'POST', body: JSON.stringify({ checkout: 'hunter2' }) });
    assert.equal(bad.status, 422);
    assert.equal((await fetch(`${fleet.controlUrl}/pager-secrets`, { method: 'POST', body: JSON.stringify({ nobody: generateWebhookSecret() }) })).status, 422);
    const checkout = generateWebhookSecret();
    assert.equal((await fetch(`${fleet.controlUrl}/pager-secrets`, { method: 'POST', body: JSON.stringify({ checkout }) })).status, 204);
    assert.equal((await post('checkout', 'msg_c', body('firing'), checkout)).status, 204);
    const listed = await (await fetch(`${fleet.controlUrl}/pages`)).text();
    assert.ok(!listed.includes(checkout.slice(6)) && !listed.includes(secret.slice(6)), 'no secret in GET /pages');
  });
});

const skip = postgresSkip();

describe('declaring the teams\' pagers', { skip }, () => {
  let api: TestApi;
  let fleet: RunningFleet;
  const model = createFleetModel();
  const urls = () => new Map([...fleet.services].map(([name, s]) => [name, s.url]));
  const declare = () => declareFleet({ apiUrl: api.url, token: api.adminToken, model, urls: urls(), pagers: { controlUrl: fleet.controlUrl!, secrets: fleet.pager.rotateSecrets() } });
  const list = (path: string) => new PharosClient(api.url, api.adminToken).list<any>(path);
  before(async () => {
    [api, fleet] = await Promise.all([startTestApi(), startFleet({ controlPort: 0 })]);
  });
  after(() => Promise.all([api?.close(), fleet?.stop()]));

  test('per team: a signed webhook channel to its pager, a catch-all policy to it, and rules over its own monitors only; again: nothing twice', { timeout: 40_000 }, async () => {
    const first = await declare();
    assert.deepEqual(first.pagers, { channels: { created: 6, updated: 0, unchanged: 0 }, policies: { created: 6, updated: 0, unchanged: 0 }, rules: { created: 12, updated: 0, unchanged: 0 }, kept: [] });
    const teams = new Map((await list('/v1/teams')).map((t) => [t.id, t.name]));
    const channels = await list('/v1/channels');
    assert.equal(channels.length, 6);
    for (const c of channels) {
      assert.equal(c.type, 'webhook');
      assert.equal(c.webhook.url, `${fleet.controlUrl}/pages/${teams.get(c.team_id)}`);
      assert.deepEqual(c.configured_secrets, ['webhook.signing_secret'], 'signed, and the secret is not returned');
    }
    const policies = await list('/v1/routing-policies');
    assert.deepEqual(policies.map((p) => [teams.get(p.team_id), p.channel_ids, p.matchers, p.group_by, p.group_wait, p.group_interval]).sort(), channels.map((c) => [teams.get(c.team_id), [c.id], [], ['alertname', 'service'], '5s', '30s']).sort());
    const rules = await list('/v1/alert-rules');
    assert.equal(rules.length, 12);
    for (const r of rules) {
      const team = teams.get(r.team_id)!;
      assert.ok(r.expression.includes(`team="${team}"`), `${r.name} selects its own team's monitors: ${r.expression}`);
      // A service of the team down, or one of its edges: the correlator places each on its graph node.
      assert.equal(r.expression, r.name.endsWith('-path-blocked') ? `down(edges(team="${team}"))` : `down(services(team="${team}"))`, r.name);
      assert.equal(r.severity, 'critical');
      assert.equal(r.for_duration, '0s', 'fires at once: probes and the settle time of a young root cause find the real root cause');
    }
    // The routing test of the API: fulfillment's alert goes to fulfillment's pager.
    const fulfillment = [...teams].find(([, n]) => n === 'fulfillment')![0];
    const routed = await api.call('POST', '/v1/routing-policies/test', { body: { labels: { alertname: 'fulfillment-path-blocked', team: 'fulfillment', service: 'shipping-integration', severity: 'critical' } } });
    assert.equal(routed.status, 200, JSON.stringify(routed.body));
    assert.equal(routed.body.tree, 'team');
    assert.deepEqual(routed.body.routes.map((r: any) => r.channels.map((c: any) => c.id)), [[channels.find((c) => c.team_id === fulfillment).id]], 'to fulfillment\'s pager and nowhere else');

    const second = await declare();
    assert.deepEqual(second.pagers, { channels: { created: 0, updated: 6, unchanged: 0 }, policies: { created: 0, updated: 0, unchanged: 6 }, rules: { created: 0, updated: 0, unchanged: 12 }, kept: [] }, 'channels take the new run\'s secret; nothing is created twice');
    assert.equal((await list('/v1/channels')).length, 6);

    // A rule declared by an earlier demo (over the team's monitors) is brought up to date in place.
    const previous = (await list('/v1/alert-rules')).find((r) => r.name === 'fulfillment-path-blocked');
    const { id, created_at, updated_at, version, managed_by, ...input } = previous;
    assert.equal((await api.call('PUT', `/v1/alert-rules/${id}`, { body: { ...input, expression: 'down(monitors(team="fulfillment", tag="check:edge"))' } })).status, 200);
    const third = await declare();
    assert.deepEqual(third.pagers!.rules, { created: 0, updated: 1, unchanged: 11 });
    const updated = (await list('/v1/alert-rules')).filter((r) => r.name === 'fulfillment-path-blocked');
    assert.deepEqual(updated.map((r) => [r.id, r.expression]), [[id, 'down(edges(team="fulfillment"))']], 'the same rule, its expression replaced');
  });

  test('a channel pointed at a real vendor with PATCH is kept; a rule of the demo\'s name it did not declare stops the declaration before any write', { timeout: 40_000 }, async () => {
    // As docs/demo.md shows: a merge patch turns fulfillment's pager into a Slack channel.
    const teamId = (await api.call('GET', '/v1/teams?name=fulfillment')).body.items[0].id;
    const channel = (await api.call('GET', `/v1/channels?name=demo-pager&team_id=${teamId}`)).body.items[0];
    const slack = 'https://hooks.slack.com/services/T000/B000/XXXXXXXX';
    const patched = await api.call('PATCH', `/v1/channels/${channel.id}`, { body: { type: 'slack', webhook: null, slack: { webhook_url: slack } } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    const report = await declare();
    assert.deepEqual(report.pagers!.kept, ['fulfillment']);
    assert.equal(report.pagers!.channels.updated, 5);
    const kept = (await api.call('GET', `/v1/channels/${channel.id}`)).body;
    assert.equal(kept.type, 'slack', 'left as pointed');
    assert.deepEqual(kept.configured_secrets, ['slack.webhook_url']);
    const policy = (await api.call('GET', `/v1/routing-policies?name=demo-pager-all&team_id=${teamId}`)).body.items[0];
    assert.deepEqual(policy.channel_ids, [channel.id], 'the team\'s policy still pages through it');

    const rule = (await list('/v1/alert-rules')).find((r) => r.name === 'checkout-path-blocked');
    const { id, created_at, updated_at, version, managed_by, ...input } = rule;
    assert.equal((await api.call('PUT', `/v1/alert-rules/${id}`, { body: { ...input, labels: {}, expression: 'down(service("checkout-api"))' } })).status, 200);
    const before = (await list('/v1/channels')).map((c) => c.version);
    const error = await declare().then(() => assert.fail('declared over the handmade rule'), (e: unknown) => e);
    assert.ok(error instanceof DeclareConflictError, String(error));
    assert.match(error.message, new RegExp(`alert rule "checkout-path-blocked" \\(${id}, team "checkout"\\)`));
    assert.deepEqual((await list('/v1/channels')).map((c) => c.version), before, 'nothing written');
    assert.equal((await api.call('GET', `/v1/alert-rules/${id}`)).body.expression, 'down(service("checkout-api"))');
  });
});

describe('npm run demo: the reference outage pages the owning team only', { skip }, () => {
  let api: TestApi;
  let localRunner: Proc | undefined;
  let demo: ChildProcess | undefined;
  let controlPort = 0;
  let out = '';
  let browser: Browser | undefined;

  before(async () => {
    api = await startTestApi();
    const token = (await api.call('POST', '/v1/runner-tokens', { body: { name: 'local', region: 'local' } })).body.token as string;
    localRunner = startRunnerProcess(api.url, token);
    controlPort = await freePort();
  });
  after(async () => {
    if (demo?.pid && isAlive(demo.pid) && demo.exitCode === null) {
      const exited = new Promise((resolve) => demo!.once('exit', resolve));
      demo.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (demo.exitCode === null && demo.signalCode === null) demo.kill('SIGKILL');
    }
    await browser?.close();
    await localRunner?.stop();
    await api?.close();
  });

  const env = () => ({ ...process.env, PHAROS_API_URL: api.url, PHAROS_TOKEN: api.adminToken, PHAROS_DEMO_CONTROL_PORT: String(controlPort), PHAROS_DEMO_INTERVAL: '5' });
  const cli = async (...args: string[]) => (await run(process.execPath, ['--import', 'tsx', join(root, 'scripts/demo.ts'), ...args], { cwd: root, env: env() })).stdout;
  const monitors = async () => ((await api.call('GET', '/v1/status')).body.services as Array<{ monitors: Array<{ name: string; state: string }> }>).flatMap((s) => s.monitors);
  /** What Pharos saw, for a failure message: the edge monitor, the fulfillment alerts, the notifications. */
  const diagnosis = async () => {
    const edge = (await monitors()).find((m) => m.name === 'shipping-integration-reaches-carrier-api');
    const alerts = ((await api.call('GET', '/v1/alerts?limit=50')).body.items ?? []).filter((a: any) => a.state !== 'inactive').map((a: any) => [a.rule_name ?? a.rule_id, a.state, a.labels?.monitor]);
    const sent = ((await api.call('GET', '/v1/notifications')).body.items ?? []).map((n: any) => [n.state, n.channel_id, n.last_error ?? n.error]);
    const rule = (await api.call('GET', '/v1/alert-rules?name=fulfillment-path-blocked')).body.items[0];
    const status = rule ? (await api.call('GET', `/v1/alert-rules/${rule.id}/status`)).body : undefined;
    return `edge monitor ${edge?.state}; rule status ${JSON.stringify(status)}; alerts ${JSON.stringify(alerts)}; notifications ${JSON.stringify(sent)}`;
  };
  const pages = async () => ((await (await fetch(`http://127.0.0.1:${controlPort}/pages`)).json()) as { pages: Page[] }).pages;

  test('cut shipping-integration → carrier-api: fulfillment\'s pager prints the page, no other team is paged; heal: the resolution arrives', { timeout: 300_000 }, async () => {
    const started = Date.now();
    demo = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/demo.ts')], { cwd: root, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    demo.stdout!.on('data', (d) => (out += d));
    demo.stderr!.on('data', (d) => (out += d));
    await waitFor('the demo to declare its fleet', 60_000, async () => out.includes('Ctrl-C stops the fleet') || (demo!.exitCode !== null && assert.fail(out)), 250);
    assert.match(out, /pagers: channels 6 created, 0 updated, 0 unchanged; routing policies 6 created, 0 updated, 0 unchanged; alert rules 12 created/, out);

    // Every edge and health monitor up first, so every team's rules watch live monitors.
    let last: Array<{ name: string; state: string }> = [];
    await waitFor('every health and edge monitor to be up', 90_000, async () => {
      last = (await monitors()).filter((m) => m.name.includes('-reaches-') || m.name.endsWith('-health'));
      return last.length === 55 + 31 && last.every((m) => m.state === 'up');
    }, 1000).catch(() => assert.fail(`not up: ${JSON.stringify(last.filter((m) => m.state !== 'up'))}\n${out}`));
    const ready = Date.now();

    // The console's dependency map, open before the cut: it must show the cut edge failing and as
    // the incident's root cause by itself (live updates), without a reload.
    let map: ConsolePage | undefined;
    if (!browserSkip()) {
      browser = await launchBrowser();
      map = await openConsole(browser, api.url, api.adminToken, '/map');
      await map.page.getByRole('heading', { name: 'Failing now' }).waitFor({ timeout: 30_000 });
      await map.page.evaluate('globalThis.__sameDocument = true');
    }

    const cutAt = Date.now();
    assert.match(await cli('cut', 'shipping-integration', 'carrier-api'), /shipping-integration/);
    const firing = /PAGE → fulfillment {2}FIRING {4}critical {2}fulfillment-path-blocked: shipping-integration → carrier-api {2}\(\d\d:\d\d:\d\d\)/;
    await waitFor('the fulfillment pager to print the page', 100_000, async () => firing.test(out), 250).catch(async () => assert.fail(`no page; ${await diagnosis()}\n${out}`));
    const paged = Date.now();
    if (map) {
      // The map shows what the page says, within a few seconds of the page and without a reload.
      const row = map.page.locator('.map-list tbody tr', { hasText: 'shipping-integration → carrier-api' });
      await row.filter({ hasText: /root cause of incident #\d+/ }).waitFor({ timeout: 10_000 }).catch(async () => assert.fail(`the map did not show the root cause: ${await map!.page.locator('.map-list').innerText().catch(() => '?')}`));
      const onMap = Date.now();
      assert.match(await row.innerText(), /down/);
      assert.equal(await map.page.evaluate('globalThis.__sameDocument === true'), true, 'the map updated in place, not by reloading');
      assert.deepEqual(map.errors, [], 'no page errors');
      assert.deepEqual(map.foreign, [], 'no request to another host');
      process.stdout.write(`# map: cut → root cause on the open map ${((onMap - cutAt) / 1000).toFixed(1)} s (the page arrived after ${((paged - cutAt) / 1000).toFixed(1)} s)\n`);
    }
    // The symptom climbed the graph: checkout's business monitor is down too, yet checkout is not paged.
    await waitFor('checkout-api\'s shipping options monitor to be down', 30_000, async () => (await monitors()).find((m) => m.name === 'checkout-api-get-checkout-shipping-options')?.state === 'down', 1000);
    await new Promise((r) => setTimeout(r, 6000)); // longer than the policy's group_wait
    const during = await pages();
    assert.deepEqual([...new Set(during.map((p) => p.team))], ['fulfillment'], `only the owning team is paged: ${JSON.stringify(during)}`);
    assert.ok(during.every((p) => p.status === 'firing' && p.service === 'shipping-integration'), JSON.stringify(during));
    // checkout-api and fulfillment-api are down through the cut edge too, and their teams' service rules fired: the incident holds those pages.
    assert.deepEqual(during.map((p) => [p.rule, p.depends_on]), [['fulfillment-path-blocked', 'carrier-api']], `one page, for the edge: ${JSON.stringify(during)}`);
    assert.match(await cli('pages'), firing, 'npm run demo -- pages lists it');

    await cli('heal', 'all');
    const resolved = /PAGE → fulfillment {2}RESOLVED {2}critical {2}fulfillment-path-blocked: shipping-integration → carrier-api/;
    await waitFor('the resolution', 100_000, async () => resolved.test(out), 250).catch(async () => assert.fail(`no resolution; ${await diagnosis()}\n${out}`));
    const after = await pages();
    assert.deepEqual([...new Set(after.map((p) => p.team))], ['fulfillment'], JSON.stringify(after));
    // The pager printed the resolution once it answered; its delivery is recorded right after.
    const notifications = await waitFor('the deliveries recorded', 5_000, async () => {
      const items = (await api.call('GET', '/v1/notifications')).body.items as Array<{ state: string }>;
      return items.some((n) => n.state === 'sending') ? undefined : items;
    }, 100);
    assert.ok(notifications.length >= 2 && notifications.every((n) => n.state === 'delivered'), `every notification delivered: ${JSON.stringify(notifications)}`);
    process.stdout.write(`# fleet up ${((ready - started) / 1000).toFixed(1)} s; cut → page ${((paged - ready) / 1000).toFixed(1)} s; heal → resolution ${((Date.now() - paged) / 1000).toFixed(1)} s after the page\n`);
  });
});
