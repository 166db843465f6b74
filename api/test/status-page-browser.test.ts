import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monotonicFactory } from 'ulid';
import type { Browser, Page } from 'playwright-core';
import { browserSkip, launchBrowser } from '../../scripts/test/support/browser.ts';
import { accessibilityViolations, describeViolations, openConsole } from '../../scripts/test/support/console.ts';
import { postgresSkip, startTestApi, type TestApi } from './support/harness.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';
import { expectOk, unique } from './support/world.ts';

// Status pages in headless Chromium against a control plane on PostgreSQL: the public page opens
// with no token and no sign-in (and with JavaScript off), shows its components and uptime bars, asks
// no other host for anything and passes the accessibility check on a laptop and a phone; the
// console's list of pages and an internal page render for a signed-in viewer and pass it too.

const ulid = monotonicFactory();
const skip = postgresSkip() || browserSkip();
const desktop = { width: 1400, height: 1000 };
const phone = { width: 390, height: 844 };
const screens = join(tmpdir(), 'pharos-screens');

describe('status pages in the browser', { skip }, () => {
  let api: TestApi;
  let browser: Browser;
  let runner: SimulatedRunner;
  let viewer = '';
  const region = unique('r');
  const slug = unique('acme');
  const ids = {} as Record<'team' | 'checkout' | 'search' | 'page' | 'internal', string>;

  const push = async (monitorId: string, status: 'up' | 'down', at: Date) => {
    const res = await api.call('POST', '/v1/runner/results', {
      token: runner.token,
      body: { runner_id: runner.id, results: [{ id: `res_${ulid()}`, monitor_id: monitorId, region, started_at: at.toISOString(), status, duration_ms: 9, ...(status === 'down' ? { error: { code: 'timeout', message: 'timed out' } } : { status_code: 200 }) }] },
    });
    assert.equal(res.body.accepted?.length, 1, JSON.stringify(res.body));
  };

  /** A fresh tab with no token at all: what an anonymous reader gets. */
  const anonymous = async (viewport: { width: number; height: number }, javaScriptEnabled = true) => {
    const context = await browser.newContext({ viewport, javaScriptEnabled });
    const page = await context.newPage();
    const foreign: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => !r.url().startsWith(api.url) && foreign.push(r.url()));
    page.on('pageerror', (e) => errors.push(String(e)));
    const response = await page.goto(`${api.url}/status/${slug}`);
    return { page, foreign, errors, status: response?.status() };
  };
  const noSidewaysScroll = (page: Page) => page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return root.scrollWidth <= root.clientWidth;
  });
  const assertAccessible = async (page: Page, what: string) => {
    const violations = await accessibilityViolations(page);
    assert.deepEqual(violations.map((v) => v.id), [], `${what}:\n${describeViolations(violations)}`);
  };

  before(async () => {
    mkdirSync(screens, { recursive: true });
    api = await startTestApi({ backend: 'postgres', app: { runner: { leaseSeconds: 600 } } });
    const admin = api.adminToken;
    ids.team = (await expectOk(api, 'POST', '/v1/teams', admin, { name: unique('shop') })).id;
    viewer = (await expectOk(api, 'POST', '/v1/tokens', admin, { name: unique('viewer'), role: 'viewer', team_id: ids.team })).token;
    ids.checkout = (await expectOk(api, 'POST', '/v1/services', admin, { name: unique('checkout'), team_id: ids.team })).id;
    ids.search = (await expectOk(api, 'POST', '/v1/services', admin, { name: unique('search'), team_id: ids.team })).id;
    const monitorOf = async (service: string) => (await expectOk(api, 'POST', '/v1/monitors', admin, {
      name: unique('mon'), service_id: service, type: 'http', interval_seconds: 300, timeout_seconds: 1, failure_threshold: 1, recovery_threshold: 1, regions: [region],
      http: { url: 'http://127.0.0.1:9/health' }, assertions: [{ source: 'status_code', operator: 'equals', target: '200' }],
    })).id;
    const checkoutMonitor = await monitorOf(ids.checkout);
    const searchMonitor = await monitorOf(ids.search);
    runner = await registerRunner(api, (await expectOk(api, 'POST', '/v1/runner-tokens', admin, { name: unique('rt'), region, labels: {} })).token as string);
    await pollRunner(api, runner);
    await api.app.settle();
    const t0 = Date.now();
    await push(checkoutMonitor, 'up', new Date(t0 - 2000));
    await push(searchMonitor, 'up', new Date(t0 - 2000));
    await push(checkoutMonitor, 'down', new Date(t0 - 1000));
    const components = [
      { service_id: ids.checkout, display_name: 'Checkout', group: 'Shop', description: 'Cart, payment and order confirmation.' },
      { service_id: ids.search, display_name: 'Search', group: 'Shop' },
    ];
    ids.page = (await expectOk(api, 'POST', '/v1/status-pages', admin, { name: unique('page'), team_id: ids.team, title: 'Acme status', slug, visibility: 'public', components, custom_text: 'Planned maintenance is announced here a week ahead.\nQuestions: support@acme.example' })).id;
    ids.internal = (await expectOk(api, 'POST', '/v1/status-pages', admin, { name: unique('ops'), team_id: ids.team, title: 'Ops board', slug: unique('ops'), visibility: 'internal', components })).id;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await api?.close();
  });

  test('the public page opens with no token, shows the components and their bars, asks no other host, passes axe at 1400×1000', { timeout: 60_000 }, async () => {
    const { page, foreign, errors, status } = await anonymous(desktop);
    assert.equal(status, 200);
    await page.getByRole('heading', { level: 1, name: 'Acme status' }).waitFor();
    assert.match(await page.getByRole('status').first().innerText(), /Major outage/);
    for (const name of ['Checkout', 'Search']) assert.ok(await page.getByRole('heading', { level: 4, name }).isVisible(), `${name} is shown`);
    assert.equal(await page.locator('.sp-bars').count(), 2);
    assert.equal(await page.locator('.sp-day').count(), 2 * 90, '90 days per component');
    const today = page.locator('.sp-bars').first().locator('.sp-day').last();
    assert.match(await today.getAttribute('title') ?? '', /^\d{4}-\d{2}-\d{2}: [\d.]+ % uptime.*(partial|major) outage$/);
    assert.ok(await today.isVisible());
    assert.match(await page.locator('.sp-custom').innerText(), /week ahead\.\nQuestions/, 'the custom text keeps its line break');
    assert.ok(await page.getByText(/Last updated/).isVisible());
    assert.ok(await noSidewaysScroll(page));
    await page.screenshot({ path: join(screens, 'status-page.png'), fullPage: true });
    await assertAccessible(page, 'public page at 1400×1000');
    assert.deepEqual(foreign, [], 'every asset is served by Pharos');
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test('at 390×844 the public page reads without sideways scroll, shows the last 30 days and passes axe', { timeout: 60_000 }, async () => {
    const { page, foreign } = await anonymous(phone);
    await page.getByRole('heading', { level: 1, name: 'Acme status' }).waitFor();
    assert.ok(await noSidewaysScroll(page), 'no horizontal page scroll at phone width');
    const bars = page.locator('.sp-bars').first().locator('.sp-day');
    const visible = await bars.evaluateAll((days) => days.filter((d) => (d as unknown as { offsetWidth: number }).offsetWidth > 0).length);
    assert.equal(visible, 30);
    await page.screenshot({ path: join(screens, 'status-page-phone.png'), fullPage: true });
    await assertAccessible(page, 'public page at 390×844');
    assert.deepEqual(foreign, []);
    await page.context().close();
  });

  test('the public page needs no JavaScript', { timeout: 60_000 }, async () => {
    const { page } = await anonymous(desktop, false);
    await page.getByRole('heading', { level: 1, name: 'Acme status' }).waitFor();
    assert.ok(await page.getByRole('heading', { level: 4, name: 'Checkout' }).isVisible());
    assert.equal(await page.locator('.sp-day').count(), 180);
    await page.context().close();
  });

  test('the console lists the pages a viewer may read and shows an internal page as its readers see it; axe passes', { timeout: 90_000 }, async () => {
    const list = await openConsole(browser, api.url, viewer, '/status-pages', desktop);
    const table = list.page.getByRole('table');
    await table.waitFor({ timeout: 20_000 });
    const rows = await table.locator('tbody tr').allInnerTexts();
    assert.equal(rows.length, 2, rows.join('\n'));
    assert.ok(rows.some((r) => r.includes('Acme status') && r.includes(slug) && r.includes('Public') && r.includes(`/status/${slug}`)));
    assert.ok(rows.some((r) => r.includes('Ops board') && r.includes('Internal')));
    assert.equal(await list.page.getByRole('heading', { name: 'Creating a status page' }).count(), 0, 'a viewer gets no how-to for editors');
    await assertAccessible(list.page, 'console status page list');

    await list.page.getByRole('link', { name: 'Ops board' }).click();
    await list.page.getByRole('heading', { level: 1, name: 'Ops board' }).waitFor({ timeout: 20_000 });
    assert.ok(await list.page.getByText(/Internal page: only signed-in people/).isVisible());
    assert.equal(await list.page.locator('.sp-day').count(), 180);
    assert.match(await list.page.locator('.sp-banner').innerText(), /Major outage/);
    await list.page.screenshot({ path: join(screens, 'status-page-console.png'), fullPage: true });
    await assertAccessible(list.page, 'console internal page');
    assert.deepEqual(list.foreign, []);
    assert.deepEqual(list.errors, []);
    await list.page.context().close();

    const small = await openConsole(browser, api.url, viewer, `/status-pages/${ids.internal}`, phone);
    await small.page.getByRole('heading', { level: 1, name: 'Ops board' }).waitFor({ timeout: 20_000 });
    assert.ok(await noSidewaysScroll(small.page));
    await assertAccessible(small.page, 'console internal page at 390×844');
    await small.page.context().close();

    const editor = await openConsole(browser, api.url, api.adminToken, '/status-pages', desktop);
    await editor.page.getByRole('heading', { name: 'Creating a status page' }).waitFor({ timeout: 20_000 });
    await assertAccessible(editor.page, 'console status page list for an editor');
    await editor.page.context().close();
  });
});
