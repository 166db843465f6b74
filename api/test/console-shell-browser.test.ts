import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { monotonicFactory } from 'ulid';
import type { Browser, Locator, Page } from 'playwright-core';
import { browserSkip, launchBrowser } from '../../scripts/test/support/browser.ts';
import { accessibilityViolations, describeViolations } from '../../scripts/test/support/console.ts';
import { postgresSkip, startTestApi, type TestApi } from './support/harness.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// The console's shell (sign-in, sign-out, expiry and revocation, the identity an auth proxy adds,
// layout at desktop and phone widths) and the system health view, in headless Chromium against a
// control plane on PostgreSQL. The identity provider is a local JWKS server with a key made here;
// the auth proxy is a local HTTP proxy that adds "Authorization: Bearer <JWT>" as oauth2-proxy's
// --set-authorization-header does.

const ulid = monotonicFactory();
const skip = postgresSkip() || browserSkip();
const issuer = 'https://idp.test/';
const audience = 'pharos';
const desktop = { width: 1400, height: 1000 };
const phone = { width: 390, height: 844 };
// Screenshots of what the test saw, for a person to look at (not compared).
const screens = join(tmpdir(), 'pharos-screens');

interface Tab {
  page: Page;
  /** Requests to any host but the one the page was opened from (must stay empty). */
  foreign: string[];
  /** Page errors and console errors, with the URL they are about. */
  errors: string[];
  /** Each finished request and the bytes its answer took on the wire (headers and body). */
  received: Array<{ url: string; bytes: number }>;
}

describe('console shell and system health', { skip }, () => {
  let api: TestApi;
  let browser: Browser;
  let jwksServer: Server;
  let proxy: Server;
  let proxyUrl = '';
  let signJwt: (sub: string) => Promise<string>;
  let proxyJwt = '';
  const region = unique('r');
  const team = {} as Record<'payments' | 'fulfillment', { id: string; name: string }>;
  const svc = {} as Record<'ledger' | 'checkout' | 'shipping', { id: string; name: string }>;
  const mon = {} as Record<'ledger' | 'checkout' | 'edge' | 'shipping', { id: string; name: string }>;
  let viewerToken = '';
  let runner: SimulatedRunner;
  /** A check result of `m` in the test's region, up or failing with connection_refused. */
  const resultOf = (m: { id: string }, up: boolean, at = new Date().toISOString()) => ({
    id: `res_${ulid()}`, monitor_id: m.id, region, started_at: at, status: up ? 'up' : 'down', duration_ms: 12,
    ...(up ? { status_code: 200 } : { error: { code: 'connection_refused', message: 'connect ECONNREFUSED 10.0.0.7:5432' } }),
  });
  const tabs: Tab[] = [];

  /** A tab with nothing in its sessionStorage, at `path` of `base` (the API, or the auth proxy). */
  const open = async (path = '/', o: { base?: string; viewport?: { width: number; height: number }; token?: string } = {}): Promise<Tab> => {
    const base = o.base ?? api.url;
    const context = await browser.newContext({ viewport: o.viewport ?? desktop });
    if (o.token) await context.addInitScript((t: string) => (globalThis as unknown as { sessionStorage: Storage }).sessionStorage.setItem('pharos.token', t), o.token);
    const page = await context.newPage();
    const tab: Tab = { page, foreign: [], errors: [], received: [] };
    // No HTTP cache: each tab measures a first load (the bundle's chunks are cached as immutable otherwise).
    await (await context.newCDPSession(page)).send('Network.setCacheDisabled', { cacheDisabled: true });
    page.on('requestfinished', (r) => void r.sizes().then((s) => tab.received.push({ url: r.url(), bytes: s.responseBodySize + s.responseHeadersSize }), () => undefined));
    page.on('request', (r) => !r.url().startsWith(base) && !r.url().startsWith('data:') && tab.foreign.push(r.url()));
    page.on('pageerror', (e) => tab.errors.push(String(e)));
    page.on('console', (m) => m.type() === 'error' && tab.errors.push(`${m.text()} @ ${m.location().url}`));
    await page.goto(`${base}${path}`);
    tabs.push(tab);
    return tab;
  };
  /** Nothing left the server; no page error except the answers a test causes on purpose (and the browser's own favicon request). */
  const assertClean = (tab: Tab, expected: RegExp[] = []) => {
    assert.deepEqual(tab.foreign, [], 'every request goes to Pharos itself');
    const unexpected = tab.errors.filter((e) => !/favicon\.ico$/.test(e) && !expected.some((x) => x.test(e)));
    assert.deepEqual(unexpected, [], 'no page errors');
  };
  const see = async (page: Page, locator: Locator, timeout = 20_000) => {
    await locator.first().waitFor({ timeout }).catch(async (e: Error) => {
      const errors = tabs.find((t) => t.page === page)?.errors ?? [];
      assert.fail(`${e.message.split('\n')[0]}\nThe page says:\n${await page.locator('body').innerText()}\nPage errors: ${errors.join('\n') || 'none'}`);
    });
  };
  const signInHeading = (page: Page) => page.getByRole('heading', { level: 1, name: 'Sign in to Pharos' });
  const healthHeading = (page: Page) => page.getByRole('heading', { level: 1, name: 'System health' });
  const storedToken = (page: Page) => page.evaluate(() => (globalThis as unknown as { sessionStorage: Storage }).sessionStorage.getItem('pharos.token'));
  const signInWith = async (page: Page, token: string) => {
    await page.getByLabel('API token or identity-provider token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  const assertAccessible = async (page: Page, what: string) => {
    const violations = await accessibilityViolations(page);
    assert.deepEqual(violations, [], `${what}:\n${describeViolations(violations)}`);
  };
  const teamSection = (page: Page, name: string) => page.locator('section.health-team', { has: page.getByRole('heading', { level: 2, name: new RegExp(`^${name}\\b`) }) });
  const serviceNames = async (page: Page) => (await page.locator('section.health-team li.service .service-name').allInnerTexts()).sort();
  /** The page's own marker survives only if the page was not reloaded. */
  const mark = (page: Page) => page.evaluate(() => ((globalThis as unknown as { pharosTestMark: number }).pharosTestMark = 42));
  const marked = (page: Page) => page.evaluate(() => (globalThis as unknown as { pharosTestMark?: number }).pharosTestMark === 42);

  before(async () => {
    const pair = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwksServer = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
    const jwksPort = (jwksServer.address() as { port: number }).port;
    signJwt = (sub) => new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject(sub).setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime('10m').sign(pair.privateKey);
    // A long runner lease: the simulated runner polls a few times only, and its slots must neither lapse nor go quiet while the tests run.
    api = await startTestApi({ jwt: { jwksUrl: `http://127.0.0.1:${jwksPort}/jwks`, issuer, audience, adminSubjects: [] }, app: { runner: { leaseSeconds: 600 } } });

    for (const key of ['payments', 'fulfillment'] as const) team[key] = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique(key) });
    svc.ledger = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('ledger'), team_id: team.payments.id, tags: { tier: '1' } });
    svc.checkout = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('checkout'), team_id: team.payments.id, tags: { tier: '1' } });
    svc.shipping = await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('shipping'), team_id: team.fulfillment.id, tags: { tier: '2' } });
    const edge = (await expectOk(api, 'POST', `/v1/services/${svc.checkout.id}/dependencies`, api.adminToken, { depends_on_service_id: svc.ledger.id })).id as string;
    const monitor = (service: string, extra: Record<string, unknown> = {}) =>
      expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(service), interval_seconds: 300, timeout_seconds: 1, failure_threshold: 1, regions: [region], ...extra });
    mon.ledger = await monitor(svc.ledger.id);
    mon.checkout = await monitor(svc.checkout.id);
    mon.edge = await monitor(svc.checkout.id, { dependency_id: edge });
    mon.shipping = await monitor(svc.shipping.id);

    runner = await registerRunner(api, (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region, labels: {} })).token as string);
    await pollRunner(api, runner);
    await api.app.settle();
    const at = new Date().toISOString();
    const result = (m: { id: string }, up: boolean) => resultOf(m, up, at);
    const res = await api.call('POST', '/v1/runner/results', { token: runner.token, body: { runner_id: runner.id, results: [result(mon.ledger, false), result(mon.edge, false), result(mon.checkout, true), result(mon.shipping, true)] } });
    assert.equal(res.body.accepted?.length, 4, JSON.stringify(res.body));
    await api.app.settle();

    viewerToken = (await expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique('viewer'), role: 'viewer', team_id: team.fulfillment.id })).token;
    await expectOk(api, 'POST', `/v1/teams/${team.payments.id}/members`, api.adminToken, { subject: 'alice@idp', email: 'alice@example.com', role: 'viewer' });
    proxyJwt = await signJwt('alice@idp');

    // The auth proxy: forwards every request to the control plane with the user's identity added.
    const apiPort = Number(new URL(api.url).port);
    proxy = createServer((req, res) => {
      const upstream = httpRequest({ host: '127.0.0.1', port: apiPort, path: req.url, method: req.method, headers: { ...req.headers, authorization: `Bearer ${proxyJwt}` } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    browser = await launchBrowser();
  });
  afterEach(async () => {
    for (const tab of tabs.splice(0)) await tab.page.context().close();
  });
  after(async () => {
    await browser?.close();
    proxy?.closeAllConnections();
    await new Promise((r) => (proxy ? proxy.close(r) : r(undefined)));
    await api?.close();
    jwksServer?.close();
  });

  test('the console loads at / with no request to another host; the admin token through the form shows the health page', { timeout: 60_000 }, async () => {
    const tab = await open('/');
    await see(tab.page, signInHeading(tab.page));
    await assertAccessible(tab.page, 'sign-in page');
    await signInWith(tab.page, api.adminToken);
    await see(tab.page, healthHeading(tab.page));
    assert.equal(await storedToken(tab.page), api.adminToken, 'kept in the tab\'s sessionStorage');
    assert.equal(new URL(tab.page.url()).search, '', 'never in the URL');
    assert.deepEqual(await tab.page.context().cookies(), [], 'never in a cookie');
    await see(tab.page, tab.page.getByRole('banner').getByText('admin (org admin)'));
    // The first GET /v1/me without a token answers 401: that is "not signed in yet".
    assertClean(tab, [/status of 401.*\/v1\/me$/]);
  });

  test('a wrong token shows the API\'s message and stays on sign-in', { timeout: 60_000 }, async () => {
    const tab = await open('/');
    await see(tab.page, signInHeading(tab.page));
    await signInWith(tab.page, 'phs_this-token-does-not-exist-anywhere');
    await see(tab.page, tab.page.getByRole('alert').getByText('The API token is unknown or was revoked.'));
    assert.ok(await signInHeading(tab.page).isVisible());
    assert.equal(await storedToken(tab.page), null, 'a refused token is not kept');
    await signInWith(tab.page, 'not-a-token');
    await see(tab.page, tab.page.getByRole('alert').getByText(/not a Pharos token/));
    assertClean(tab, [/status of 401.*\/v1\/me$/]);
  });

  test('sign-out returns to sign-in and clears sessionStorage', { timeout: 60_000 }, async () => {
    const tab = await open('/', { token: api.adminToken });
    await see(tab.page, healthHeading(tab.page));
    await tab.page.getByRole('button', { name: 'Sign out' }).click();
    await see(tab.page, signInHeading(tab.page));
    await see(tab.page, tab.page.getByText('You signed out.'));
    assert.equal(await storedToken(tab.page), null);
    assertClean(tab);
  });

  test('a token that expires signs the page out by itself when it lapses, without a reload', { timeout: 60_000 }, async () => {
    const expiresAt = new Date(Date.now() + 8_000).toISOString();
    const token = (await expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique('short'), role: 'viewer', team_id: team.payments.id, expires_at: expiresAt })).token as string;
    const tab = await open('/', { token });
    await see(tab.page, healthHeading(tab.page));
    await mark(tab.page);
    await see(tab.page, tab.page.getByRole('alert').getByText(/Your token expired at .*; sign in with a new one\./), 15_000);
    assert.ok(Date.now() >= Date.parse(expiresAt), 'not before it lapsed');
    assert.ok(await marked(tab.page), 'the same page, not a reload');
    assert.equal(await storedToken(tab.page), null);
    assertClean(tab);
  });

  test('a revoked token signs out with the API\'s reason the next time the page asks', { timeout: 60_000 }, async () => {
    const created = await expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique('revoked'), role: 'viewer', team_id: team.payments.id });
    const tab = await open('/', { token: created.token });
    await see(tab.page, healthHeading(tab.page));
    // Revoke once the page has its data: the heading can show before the teams and services the
    // filters need have loaded, and those would then be refused too.
    const loaded = (path: string) => tab.received.some((r) => new URL(r.url).pathname === path);
    for (const deadline = Date.now() + 20_000; !(loaded('/v1/teams') && loaded('/v1/services')) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    await mark(tab.page);
    assert.equal((await api.call('DELETE', `/v1/tokens/${created.id}`)).status, 204);
    // The console asks GET /v1/me again whenever the tab comes back into view (and every minute).
    await tab.page.evaluate(() => (globalThis as unknown as { document: { dispatchEvent(e: unknown): void } }).document.dispatchEvent(new Event('visibilitychange')));
    await see(tab.page, tab.page.getByRole('alert').getByText('You were signed out: The API token is unknown or was revoked.'));
    assert.ok(await marked(tab.page));
    assert.equal(await storedToken(tab.page), null);
    assertClean(tab, [/status of 401.*\/v1\/me$/]);
  });

  test('behind an auth proxy that adds the identity, the console signs in by itself', { timeout: 60_000 }, async () => {
    const tab = await open('/', { base: proxyUrl });
    await see(tab.page, healthHeading(tab.page));
    await see(tab.page, tab.page.getByRole('banner').getByText(`alice@example.com (viewer of ${team.payments.name})`));
    assert.equal(await storedToken(tab.page), null, 'no token typed in, none kept');
    await see(tab.page, tab.page.locator('section.health-team'));
    assert.deepEqual(await serviceNames(tab.page), [svc.checkout.name, svc.ledger.name].sort(), 'only what the user\'s memberships may read');
    await tab.page.getByRole('button', { name: 'Sign out' }).click();
    await see(tab.page, tab.page.getByText(/sign out there to end it/));
    await tab.page.getByRole('button', { name: 'Continue with your identity-provider session' }).click();
    await see(tab.page, healthHeading(tab.page));
    assertClean(tab);
  });

  test('the sign-in form accepts an identity-provider JWT pasted in', { timeout: 60_000 }, async () => {
    const tab = await open('/');
    await see(tab.page, signInHeading(tab.page));
    const jwt = await signJwt('alice@idp');
    await signInWith(tab.page, jwt);
    await see(tab.page, healthHeading(tab.page));
    await see(tab.page, tab.page.getByRole('banner').getByText('alice@example.com'));
    assert.equal(await storedToken(tab.page), jwt);
    // A valid identity without a role in Pharos is told whom to ask, and stays on sign-in.
    await tab.page.getByRole('button', { name: 'Sign out' }).click();
    await signInWith(tab.page, await signJwt('stranger@idp'));
    await see(tab.page, tab.page.getByRole('alert').getByText(/has no role in Pharos; ask an admin/));
    assert.equal(await storedToken(tab.page), null);
    assertClean(tab, [/status of 40[13].*\/v1\/me$/]);
  });

  test('the health page lists the services by team with their monitors; team and state filters narrow it and are in the URL', { timeout: 90_000 }, async () => {
    const tab = await open('/', { token: api.adminToken });
    const { page } = tab;
    await see(page, healthHeading(page));
    await see(page, page.locator('.summary'));
    const status = (await api.call('GET', '/v1/status')).body as { services: Array<{ state: string }> };
    const count = (s: string) => status.services.filter((x) => x.state === s).length;
    assert.equal(await page.locator('.summary strong').innerText(), `${status.services.length} services: ${count('up')} up, ${count('degraded')} degraded, ${count('down')} down${count('unknown') ? `, ${count('unknown')} unknown` : ''}`);

    const payments = teamSection(page, team.payments.name);
    const fulfillment = teamSection(page, team.fulfillment.name);
    assert.deepEqual((await payments.locator('.service-name').allInnerTexts()).sort(), [svc.checkout.name, svc.ledger.name].sort());
    assert.deepEqual(await fulfillment.locator('.service-name').allInnerTexts(), [svc.shipping.name]);
    const ledger = payments.locator('li.service', { hasText: svc.ledger.name });
    assert.equal(await ledger.locator('h3 .badge').innerText(), 'down');
    const ledgerMonitor = ledger.getByRole('link', { name: mon.ledger.name });
    assert.equal(await ledgerMonitor.getAttribute('href'), `/monitors/${mon.ledger.id}`);
    const row = ledger.locator('tr', { has: page.getByRole('link', { name: mon.ledger.name }) });
    assert.match(await row.innerText(), new RegExp(`${region}\\s+down`), 'the region with its state');
    assert.equal(await row.locator('.errors code').innerText(), 'connection_refused', 'the failing check\'s error code');
    assert.match(await row.locator('time').innerText(), /s ago|min ago/, 'the last check time');
    const shippingRow = fulfillment.locator('tr', { has: page.getByRole('link', { name: mon.shipping.name }) });
    assert.match(await shippingRow.innerText(), /\bup\b/);
    assert.match(await shippingRow.locator('td').last().innerText(), /none/);
    const failing = page.locator('section.health-edges li.edge');
    assert.equal(await failing.count(), 1);
    assert.match(await failing.innerText(), new RegExp(`${svc.checkout.name}[\\s\\S]*${svc.ledger.name}[\\s\\S]*down`));
    assert.equal(await failing.getByRole('link', { name: mon.edge.name }).getAttribute('href'), `/monitors/${mon.edge.id}`);

    // Filters: labelled selects, reachable by keyboard, reflected in the URL.
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id?: string } | null } }).document.activeElement?.id === 'filter-team');
    }
    assert.ok(reached, 'the team filter is reachable with Tab');
    await page.getByLabel('Team').selectOption({ label: team.payments.name });
    await page.waitForURL((u) => u.searchParams.get('team') === team.payments.id);
    assert.deepEqual(await serviceNames(page), [svc.checkout.name, svc.ledger.name].sort());
    await page.getByLabel('State').selectOption('up');
    await page.waitForURL((u) => u.searchParams.get('state') === 'up' && u.searchParams.get('team') === team.payments.id);
    assert.equal(await page.getByText('No service matches these filters.').count(), 1, 'checkout is down through its failing edge, ledger is down');
    await page.getByLabel('State').selectOption('down');
    await page.waitForURL((u) => u.searchParams.get('state') === 'down');
    assert.deepEqual(await serviceNames(page), [svc.checkout.name, svc.ledger.name].sort());
    await page.getByLabel('Tag').selectOption('tier=2');
    await page.waitForURL((u) => u.searchParams.get('tag') === 'tier=2');
    assert.equal(await page.getByText('No service matches these filters.').count(), 1);

    // A filtered view is a link: opened afresh it shows the same selection.
    const link = `/?team=${team.fulfillment.id}&state=up`;
    await page.goto(`${api.url}${link}`);
    await see(page, healthHeading(page));
    await see(page, page.locator('section.health-team'));
    assert.deepEqual(await serviceNames(page), [svc.shipping.name]);
    assert.equal(await page.getByLabel('Team').inputValue(), team.fulfillment.id);
    assert.equal(await page.getByLabel('State').inputValue(), 'up');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((u) => u.search === '');
    assert.equal((await serviceNames(page)).length, 3);
    assertClean(tab);
  });

  test('the health page follows a state change without a reload', { timeout: 60_000 }, async () => {
    const tab = await open('/', { token: api.adminToken });
    const { page } = tab;
    const shipping = teamSection(page, team.fulfillment.name).locator('li.service', { hasText: svc.shipping.name });
    await see(page, shipping);
    assert.equal(await shipping.locator('h3 .badge').innerText(), 'up');
    await see(page, page.getByRole('banner').getByText('Live', { exact: true }));
    await mark(page);
    const pushDown = async () => {
      await pollRunner(api, runner);
      const res = await api.call('POST', '/v1/runner/results', { token: runner.token, body: { runner_id: runner.id, results: [resultOf(mon.shipping, false)] } });
      assert.equal(res.body.accepted?.length, 1, JSON.stringify(res.body));
    };
    const changedAt = Date.now();
    await pushDown();
    await see(page, shipping.locator('h3 .badge', { hasText: 'down' }), 15_000);
    const reached = Date.now() - changedAt;
    assert.ok(await marked(page), 'the same page, not a reload');
    assert.equal(await shipping.locator('.errors code').innerText(), 'connection_refused');
    assert.match(await page.locator('.summary strong').innerText(), /^3 services: 0 up, 0 degraded, 3 down$/);
    // Put it back for the tests that follow.
    await pollRunner(api, runner);
    await api.call('POST', '/v1/runner/results', { token: runner.token, body: { runner_id: runner.id, results: [resultOf(mon.shipping, true)] } });
    await see(page, shipping.locator('h3 .badge', { hasText: 'up' }), 15_000);
    process.stdout.write(`# a state change reached the open health page in ${reached} ms\n`);
    assertClean(tab);
  });

  test('a viewer sees the health page of the team it may read', { timeout: 60_000 }, async () => {
    const tab = await open('/', { token: viewerToken });
    await see(tab.page, healthHeading(tab.page));
    await see(tab.page, tab.page.locator('section.health-team'));
    assert.deepEqual(await serviceNames(tab.page), [svc.shipping.name]);
    assert.equal(await tab.page.locator('section.health-edges').count(), 0, 'the failing edge is another team\'s');
    assertClean(tab);
  });

  for (const [label, viewport] of [['desktop 1400×1000', desktop], ['phone 390×844', phone]] as const) {
    test(`sign-in and health pages pass the accessibility check and fit the width (${label})`, { timeout: 90_000 }, async () => {
      const signIn = await open('/', { viewport });
      await see(signIn.page, signInHeading(signIn.page));
      await assertAccessible(signIn.page, `sign-in, ${label}`);
      const tab = await open('/', { token: api.adminToken, viewport });
      const { page } = tab;
      await see(page, page.locator('section.health-team'));
      // First load of the health page: bytes over the wire (page, bundle, stylesheet, API answers) and the time until its services show.
      const shownMs = Math.round(await page.evaluate(() => (globalThis as unknown as { performance: { now(): number } }).performance.now()));
      // The live stream stays open (never "network idle"); what the first load fetched has finished by now.
      await page.waitForTimeout(500);
      const sum = (list: Tab['received']) => (list.reduce((n, r) => n + r.bytes, 0) / 1024).toFixed(1);
      const scripts = tab.received.filter((r) => /\.js$/.test(new URL(r.url).pathname));
      assert.ok(!scripts.some((r) => /cytoscape|uplot|map\.view|monitor\.view/i.test(r.url)), 'the health page loads neither the graph nor the chart library');
      process.stdout.write(`# health page first load (${label}): ${sum(tab.received)} KiB in ${tab.received.length} requests (scripts ${sum(scripts)} KiB in ${scripts.length}), services shown ${shownMs} ms after navigation\n`);
      await assertAccessible(page, `health, ${label}`);
      mkdirSync(screens, { recursive: true });
      await signIn.page.screenshot({ path: join(screens, `sign-in-${viewport.width}.png`) });
      await page.screenshot({ path: join(screens, `health-${viewport.width}.png`), fullPage: true });
      // The skip link is the first thing Tab reaches and shows itself when focused.
      await page.keyboard.press('Tab');
      const skipLink = page.getByRole('link', { name: 'Skip to content' });
      assert.ok(await skipLink.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement));
      assert.ok(await skipLink.isVisible(), 'visible when focused');
      await page.keyboard.press('Enter');
      assert.ok(await page.locator('main#main').evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement), 'the skip link moves focus to the main content');
      const fits = () => page.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
        return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
      });
      const width = await fits();
      assert.ok(width.scrollWidth <= width.clientWidth, `no horizontal page scroll: ${JSON.stringify(width)}`);
      const menu = page.getByRole('button', { name: 'Menu' });
      const nav = page.getByRole('navigation', { name: 'Main' });
      if (viewport === phone) {
        assert.ok(await menu.isVisible(), 'the navigation folds behind a Menu button');
        assert.equal(await menu.getAttribute('aria-expanded'), 'false');
        assert.ok(!(await nav.isVisible()));
        await menu.click();
        assert.equal(await menu.getAttribute('aria-expanded'), 'true');
        await see(page, nav.getByRole('link', { name: 'Incidents' }));
        await assertAccessible(page, `health with the menu open, ${label}`);
        const open = await fits();
        assert.ok(open.scrollWidth <= open.clientWidth, `no horizontal scroll with the menu open: ${JSON.stringify(open)}`);
      } else {
        assert.ok(!(await menu.isVisible()), 'no Menu button on a wide screen');
        assert.ok(await nav.getByRole('link', { name: 'Incidents' }).isVisible());
      }
      assert.equal(await nav.getByRole('link', { name: 'Health' }).getAttribute('aria-current'), 'page');
      assertClean(signIn, [/status of 401.*\/v1\/me$/]);
      assertClean(tab);
    });
  }
});
