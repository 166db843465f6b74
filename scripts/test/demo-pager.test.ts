import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { postgresSkip, startTestApi, type TestApi } from '../../api/test/support/harness.ts';
import { startFleet, type RunningFleet } from '../demo/demo.api.ts';
import { formatPage, generateWebhookSecret, type Page } from '../demo/pager.inbox.ts';
import { freePort, isAlive, startRunnerProcess, waitFor, type Proc } from './support/processes.ts';

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

describe('npm run demo: the reference outage pages the owning team only', { skip }, () => {
  let api: TestApi;
  let localRunner: Proc | undefined;
  let demo: ChildProcess | undefined;
  let controlPort = 0;
  let out = '';

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
    await localRunner?.stop();
    await api?.close();
  });

  const env = () => ({ ...process.env, PHAROS_API_URL: api.url, PHAROS_TOKEN: api.adminToken, PHAROS_DEMO_CONTROL_PORT: String(controlPort), PHAROS_DEMO_INTERVAL: '5' });
  const cli = async (...args: string[]) => (await run(process.execPath, ['--import', 'tsx', join(root, 'scripts/demo.ts'), ...args], { cwd: root, env: env() })).stdout;
  const monitors = async () => ((await api.call('GET', '/v1/status')).body.services as Array<{ monitors: Array<{ name: string; state: string }> }>).flatMap((s) => s.monitors);
  const pages = async () => ((await (await fetch(`http://127.0.0.1:${controlPort}/pages`)).json()) as { pages: Page[] }).pages;

  test('cut shipping-integration → carrier-api: fulfillment\'s pager prints the page, no other team is paged; heal: the resolution arrives', { timeout: 180_000 }, async () => {
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

    assert.match(await cli('cut', 'shipping-integration', 'carrier-api'), /shipping-integration/);
    const firing = /PAGE → fulfillment {2}FIRING {4}critical {2}fulfillment-path-blocked: shipping-integration \/ shipping-integration-reaches-carrier-api {2}\(\d\d:\d\d:\d\d\)/;
    await waitFor('the fulfillment pager to print the page', 60_000, async () => firing.test(out), 250).catch(() => assert.fail(out));
    const paged = Date.now();
    // The symptom climbed the graph: checkout's business monitor is down too, yet checkout is not paged.
    await waitFor('checkout-api\'s shipping options monitor to be down', 30_000, async () => (await monitors()).find((m) => m.name === 'checkout-api-get-checkout-shipping-options')?.state === 'down', 1000);
    await new Promise((r) => setTimeout(r, 6000)); // longer than the policy's group_wait
    const during = await pages();
    assert.deepEqual([...new Set(during.map((p) => p.team))], ['fulfillment'], `only the owning team is paged: ${JSON.stringify(during)}`);
    assert.ok(during.every((p) => p.status === 'firing' && p.service === 'shipping-integration'), JSON.stringify(during));
    assert.match(await cli('pages'), firing, 'npm run demo -- pages lists it');

    await cli('heal', 'all');
    const resolved = /PAGE → fulfillment {2}RESOLVED {2}critical {2}fulfillment-path-blocked: shipping-integration \/ shipping-integration-reaches-carrier-api/;
    await waitFor('the resolution', 75_000, async () => resolved.test(out), 250).catch(() => assert.fail(out));
    const after = await pages();
    assert.deepEqual([...new Set(after.map((p) => p.team))], ['fulfillment'], JSON.stringify(after));
    const notifications = (await api.call('GET', '/v1/notifications')).body.items as Array<{ state: string }>;
    assert.ok(notifications.length >= 2 && notifications.every((n) => n.state === 'delivered'), `every notification delivered: ${JSON.stringify(notifications)}`);
    process.stdout.write(`# fleet up ${((ready - started) / 1000).toFixed(1)} s; cut → page ${((paged - ready) / 1000).toFixed(1)} s; heal → resolution ${((Date.now() - paged) / 1000).toFixed(1)} s after the page\n`);
  });
});
