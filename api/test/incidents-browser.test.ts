import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { monotonicFactory } from 'ulid';
import type { Browser, Locator, Page } from 'playwright-core';
import { browserSkip, launchBrowser } from '../../scripts/test/support/browser.ts';
import { accessibilityViolations, describeViolations, openConsole, type ConsolePage } from '../../scripts/test/support/console.ts';
import { waitFor } from '../../scripts/test/support/processes.ts';
import { postgresSkip, startTestApi, type TestApi } from './support/harness.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';
import { expectOk, unique } from './support/world.ts';

// The incident views, a team's dashboard and the org overview in headless Chromium, on PostgreSQL.
// The incident comes from the real pipeline: a simulated runner reports the payments team's
// database and the API that depends on it down, the team's rule (for_duration 0s) fires, the
// correlator opens an incident naming the database as root cause and the API as impacted.

const ulid = monotonicFactory();
const skip = postgresSkip() || browserSkip();

describe('console: incidents, team dashboard, overview', { skip }, () => {
  let api: TestApi;
  let browser: Browser;
  let runner: SimulatedRunner;
  const region = unique('r');
  const teams = {} as Record<'payments' | 'search', { id: string; name: string }>;
  const services = {} as Record<'api' | 'db' | 'search', { id: string; name: string }>;
  const monitors = {} as Record<'api' | 'db' | 'search', { id: string; name: string }>;
  const tokens = {} as Record<'editor' | 'viewer', string>;
  let sloName = '';
  let ruleName = '';
  let incident: { id: string; number: number; title: string };
  let current: Record<'api' | 'db' | 'search', 'up' | 'down'> = { api: 'up', db: 'up', search: 'up' };
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  /** Answers of 400 and above each tab got, by URL (so a failed check names what failed). */
  const failures = new WeakMap<ConsolePage, string[]>();
  /** Console errors about the browser's own /favicon.ico request (the console declares no icon; Playwright does not report that request). */
  const favicons = new WeakMap<ConsolePage, string[]>();
  /** The tabs a test opened, closed after it. */
  let tabs: ConsolePage[] = [];

  const push = async (statuses: Record<keyof typeof monitors, 'up' | 'down'>) => {
    current = statuses;
    await pollRunner(api, runner);
    const at = new Date().toISOString();
    const results = Object.entries(statuses).map(([key, status]) => ({
      id: `res_${ulid()}`, monitor_id: monitors[key as keyof typeof monitors].id, region, started_at: at, status, duration_ms: 30,
      ...(status === 'down' ? { status_code: 503, error: { code: 'http_status', message: 'expected status 200, got 503' } } : { status_code: 200 }),
    }));
    const res = await api.call('POST', '/v1/runner/results', { token: runner.token, body: { runner_id: runner.id, results } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };

  /** A console tab as `token`; its foreign requests and page errors are checked after each test. */
  const open = async (token: string, path: string, viewport?: { width: number; height: number }) => {
    const tab = await openConsole(browser, api.url, token, path, viewport);
    const failed: string[] = [];
    tab.page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.request().method()} ${r.url()}`));
    failures.set(tab, failed);
    const icon: string[] = [];
    tab.page.on('console', (m) => m.type() === 'error' && m.location().url.endsWith('/favicon.ico') && icon.push(m.text()));
    favicons.set(tab, icon);
    tabs.push(tab);
    return tab;
  };
  /** Waits for `locator` (under a busy machine's pace); on timeout fails with what the page says instead. */
  const see = async (page: Page, locator: Locator, timeout = 20_000) => {
    await locator.waitFor({ timeout }).catch(async (e: Error) => assert.fail(`${e.message.split('\n')[0]}\nThe page says:\n${await page.locator('body').innerText()}`));
  };
  const assertAccessible = async (page: Page, what: string) => {
    const violations = await accessibilityViolations(page);
    assert.deepEqual(violations, [], `${what}:\n${describeViolations(violations)}`);
  };
  /** No request left the server and nothing failed on the page (`expected` lists console errors a test causes on purpose). */
  const assertClean = (tab: ConsolePage, expected: RegExp[] = []) => {
    assert.deepEqual(tab.foreign, [], 'every request goes to Pharos itself');
    const icon = [...(favicons.get(tab) ?? [])];
    const errors = tab.errors.filter((e) => {
      const i = icon.indexOf(e);
      if (i < 0) return true;
      icon.splice(i, 1);
      return false;
    });
    assert.deepEqual(errors.filter((e) => !expected.some((x) => x.test(e))), [], `no page errors; failed answers: ${failures.get(tab)?.join(', ')}`);
  };

  before(async () => {
    api = await startTestApi({ backend: 'postgres', app: { alertTickMs: 600_000, incidentSweepMs: 200, consumerSettings: { pollMs: 100 }, notifications: { pollMs: 100 } } });
    const admin = api.adminToken;
    for (const key of ['payments', 'search'] as const) teams[key] = await expectOk(api, 'POST', '/v1/teams', admin, { name: unique(key) });
    services.db = await expectOk(api, 'POST', '/v1/services', admin, { name: unique('ledger-db'), team_id: teams.payments.id });
    services.api = await expectOk(api, 'POST', '/v1/services', admin, { name: unique('payments-api'), team_id: teams.payments.id });
    services.search = await expectOk(api, 'POST', '/v1/services', admin, { name: unique('search-api'), team_id: teams.search.id });
    await expectOk(api, 'POST', `/v1/services/${services.api.id}/dependencies`, admin, { depends_on_service_id: services.db.id });
    for (const key of ['api', 'db', 'search'] as const) {
      monitors[key] = await expectOk(api, 'POST', '/v1/monitors', admin, {
        name: unique(`${key}-health`), service_id: services[key].id, type: 'http', interval_seconds: 30, timeout_seconds: 5, failure_threshold: 1, recovery_threshold: 1, regions: [region],
        http: { url: 'http://127.0.0.1:9/health' }, assertions: [{ source: 'status_code', operator: 'equals', target: '200' }],
      });
    }
    ruleName = unique('payments-down');
    await expectOk(api, 'POST', '/v1/alert-rules', admin, { name: ruleName, team_id: teams.payments.id, expression: `down(services(team="${teams.payments.name}"))`, for_duration: '0s', severity: 'critical' });
    sloName = unique('payments-uptime');
    await expectOk(api, 'POST', '/v1/slos', admin, { name: sloName, team_id: teams.payments.id, service_id: services.api.id, objective: 'uptime', target_percent: 99.9 });
    await expectOk(api, 'POST', '/v1/slos', admin, { name: unique('search-uptime'), team_id: teams.search.id, objective: 'uptime', target_percent: 99 });
    tokens.editor = (await expectOk(api, 'POST', '/v1/tokens', admin, { name: unique('editor'), role: 'team_editor', team_id: teams.payments.id })).token;
    tokens.viewer = (await expectOk(api, 'POST', '/v1/tokens', admin, { name: unique('viewer'), role: 'viewer', team_id: teams.payments.id })).token;
    runner = await registerRunner(api, (await expectOk(api, 'POST', '/v1/runner-tokens', admin, { name: unique('rt'), region, labels: {} })).token as string);
    await push({ api: 'up', db: 'up', search: 'up' });
    await api.app.settle();
    await push({ api: 'down', db: 'down', search: 'up' });
    incident = await waitFor('an open incident naming the database', 20_000, async () => {
      const items = (await api.call('GET', '/v1/incidents?state=open')).body.items as Array<{ id: string; number: number; title: string; root_cause: { id?: string } | null }>;
      return items.length === 1 && items[0]!.root_cause?.id === services.db.id ? items[0] : undefined;
    }, 100);
    // A live runner keeps reporting (and keeps its lease) while the pages are looked at.
    keepAlive = setInterval(() => void push(current).catch(() => undefined), 2000);
    browser = await launchBrowser();
  });
  afterEach(async () => {
    for (const tab of tabs) await tab.page.context().close().catch(() => undefined);
    tabs = [];
  });
  after(async () => {
    clearInterval(keepAlive);
    await browser?.close();
    await api?.close();
  });

  test('the list shows the incident, open first, with its root cause, owner and a link; filters go to the URL', { timeout: 60_000 }, async () => {
    const tab = await open(api.adminToken, '/incidents');
    const { page } = tab;
    const row = page.locator('table.incident-table tbody tr', { hasText: incident.title });
    await see(page, row);
    const cells = await row.locator('td').allInnerTexts();
    assert.equal(cells[0], `#${incident.number}`);
    assert.match(cells[2]!, /investigating|identified|monitoring/);
    assert.equal(cells[3], 'critical');
    assert.equal(cells[4], services.db.name, 'root cause');
    assert.equal(cells[5], teams.payments.name, 'owner team');
    assert.match(cells[6]!, /impacted of 2 services/);
    assert.match(cells[8]!, /so far$/);
    assert.equal(await row.getByRole('link', { name: incident.title, exact: true }).getAttribute('href'), `/incidents/${incident.number}`);
    await assertAccessible(page, 'incident list');

    // Filters: state resolved hides it and lands in the URL; the team filter finds it again.
    await page.getByLabel('State').selectOption('resolved');
    await see(page, page.getByText('No incident matches these filters.'));
    assert.match(page.url(), /\?state=resolved$/);
    await page.getByLabel('State').selectOption('open');
    await page.getByLabel('Team').selectOption(teams.payments.id);
    await see(page, row);
    assert.equal(new URL(page.url()).searchParams.get('team_id'), teams.payments.id);
    assert.equal(new URL(page.url()).searchParams.get('state'), 'open');
    // A link with the filters in its query opens the list filtered.
    const linked = await open(api.adminToken, `/incidents?team_id=${teams.search.id}`);
    await see(linked.page, linked.page.getByText('No incident matches these filters.'));
    assert.equal(await linked.page.getByLabel('Team').inputValue(), teams.search.id);
    assertClean(tab);
    assertClean(linked);
  });

  test('a viewer sees the whole detail and no control that writes', { timeout: 60_000 }, async () => {
    const tab = await open(tokens.viewer, `/incidents/${incident.number}`);
    const { page } = tab;
    await see(page, page.getByRole('heading', { level: 1, name: `#${incident.number} ${incident.title}` }));
    const cause = page.locator('.incident-cause');
    assert.match(await cause.innerText(), new RegExp(services.db.name));
    assert.match(await cause.locator('table').innerText(), /http_status · HTTP 503/, 'evidence names the error code');
    assert.match(await cause.locator('table').innerText(), new RegExp(monitors.db.name), 'evidence names the monitor');
    assert.match(await page.locator('.incident-impacted').innerText(), new RegExp(services.api.name));
    const alerts = page.locator('.incident-alerts tbody tr');
    assert.ok((await alerts.count()) >= 1);
    assert.match(await alerts.first().innerText(), new RegExp(ruleName));
    assert.match(await alerts.first().locator('td').last().innerText(), /^(sent|held|released)/, 'each alert says what became of its notification');
    const kinds = await page.locator('.incident-timeline li').evaluateAll((items) => items.map((li) => li.getAttribute('data-kind')));
    assert.equal(kinds[0], 'opened', `timeline: ${kinds.join(', ')}`);
    assert.ok(kinds.includes('root_cause'), `timeline: ${kinds.join(', ')}`);
    const times = await page.locator('.incident-timeline li time').evaluateAll((items) => items.map((t) => Date.parse(t.getAttribute('datetime')!)));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'in time order');
    assert.equal(await page.locator('.incident-facts').getByText('not acknowledged yet').count(), 1, 'MTTA unknown until acknowledged');

    // No write control at all: not disabled, absent.
    for (const name of ['Acknowledge', 'Resolve', 'Add note', 'Change state']) assert.equal(await page.getByRole('button', { name }).count(), 0, `no ${name} button`);
    assert.equal(await page.locator('textarea, .incident-actions, input[type=checkbox]').count(), 0, 'no note form');
    await assertAccessible(page, 'incident detail (viewer)');
    assertClean(tab);
  });

  test('a team dashboard lists its services, its open incident, its SLO; another team\'s answers not found', { timeout: 60_000 }, async () => {
    const tab = await open(tokens.viewer, `/teams/${teams.payments.id}`);
    const { page } = tab;
    await see(page, page.getByRole('heading', { level: 1, name: `Team ${teams.payments.name}` }));
    const servicesTable = page.getByRole('table', { name: 'Services' });
    await see(page, servicesTable);
    const serviceRows = await servicesTable.locator('tbody tr').allInnerTexts();
    assert.equal(serviceRows.length, 2, serviceRows.join('\n'));
    assert.ok(serviceRows.some((r) => r.includes(services.db.name) && /down/.test(r)), serviceRows.join('\n'));
    assert.ok(!serviceRows.some((r) => r.includes(services.search.name)), 'only the team\'s services');
    await see(page, page.getByRole('table', { name: `Open incidents of ${teams.payments.name}` }).getByRole('link', { name: incident.title, exact: true }));
    const slo = page.getByRole('table', { name: 'SLOs' }).locator('tbody tr', { hasText: sloName });
    await see(page, slo);
    assert.equal(await page.getByRole('table', { name: 'SLOs' }).locator('tbody tr').count(), 1, 'only the team\'s SLOs');
    assert.match(await slo.innerText(), /99\.9 %/);
    const firing = page.getByRole('table', { name: 'Firing alerts' });
    await see(page, firing);
    assert.match(await firing.innerText(), new RegExp(ruleName));
    await assertAccessible(page, 'team dashboard');
    assertClean(tab);

    const other = await open(tokens.viewer, `/teams/${teams.search.id}`);
    const problem = await waitFor('the API\'s not-found message', 10_000, async () => {
      const shown = await other.page.locator('main [role=alert]').allInnerTexts();
      return shown.find((t) => /not found/i.test(t));
    }, 100).catch(async (e: Error) => assert.fail(`${e.message}; the page says: ${await other.page.locator('body').innerText()}`));
    assert.match(problem, /team/i);
    assertClean(other, [/status of 404/]);
  });

  test('the overview has a tile per team for an org admin, and for a viewer the tiles of their own teams only', { timeout: 60_000 }, async () => {
    const tab = await open(api.adminToken, '/overview');
    const { page } = tab;
    const tiles = page.locator('.team-tile');
    await see(page, tiles.first());
    assert.equal(await tiles.count(), 2);
    const payments = await tiles.filter({ hasText: teams.payments.name }).innerText();
    assert.match(payments, /Services up\s*0/);
    assert.match(payments, /Down\s*2/);
    assert.match(payments, /Open incidents\s*1/);
    assert.match(payments, /Firing alerts\s*[1-9]/);
    assert.match(payments, /SLOs at risk\s*\d+ of 1/);
    const search = await tiles.filter({ hasText: teams.search.name }).innerText();
    assert.match(search, /Services up\s*1/);
    assert.match(search, /Open incidents\s*0/);
    assert.equal(await tiles.filter({ hasText: teams.payments.name }).getByRole('link').getAttribute('href'), `/teams/${teams.payments.id}`);
    await see(page, page.getByRole('table', { name: 'Open incidents of the organization' }).getByRole('link', { name: incident.title, exact: true }));
    await assertAccessible(page, 'overview (admin)');
    assertClean(tab);

    const viewer = await open(tokens.viewer, '/overview');
    const own = viewer.page.locator('.team-tile');
    await see(viewer.page, own.first());
    await see(viewer.page, viewer.page.getByText('The teams you have a role in; org admins see every team'));
    assert.equal(await own.count(), 1, 'only the viewer\'s own team');
    assert.match(await own.first().innerText(), new RegExp(teams.payments.name));
    assert.equal(await viewer.page.locator('main').getByText(teams.search.name).count(), 0, 'no tile or name of another team');
    assert.equal(await own.first().getByRole('link').getAttribute('href'), `/teams/${teams.payments.id}`);
    await see(viewer.page, viewer.page.getByRole('table', { name: 'Open incidents of your teams' }).getByRole('link', { name: incident.title, exact: true }));
    await assertAccessible(viewer.page, 'overview (viewer)');
    assertClean(viewer);
  });

  test('open pages follow changes made elsewhere without a reload: a note on the detail, a state on the list', { timeout: 60_000 }, async () => {
    const detail = await open(tokens.viewer, `/incidents/${incident.number}`);
    const list = await open(tokens.viewer, '/incidents');
    await see(detail.page, detail.page.locator('.incident-timeline li').first());
    const row = list.page.locator('table.incident-table tbody tr', { hasText: incident.title });
    await see(list.page, row);
    const navigations = { detail: 0, list: 0 };
    detail.page.on('framenavigated', () => navigations.detail++);
    list.page.on('framenavigated', () => navigations.list++);

    const text = `Written elsewhere ${unique('n')}`;
    const started = Date.now();
    assert.equal((await api.call('POST', `/v1/incidents/${incident.id}/notes`, { token: tokens.editor, body: { text } })).status, 201);
    await see(detail.page, detail.page.locator('.incident-timeline li[data-kind=note]', { hasText: text }), 15_000);
    const noteMs = Date.now() - started;
    const before = (await api.call('GET', `/v1/incidents/${incident.id}`)).body.state as string;
    const next = before === 'investigating' ? 'identified' : 'investigating';
    assert.equal((await api.call('PATCH', `/v1/incidents/${incident.id}`, { token: tokens.editor, body: { state: next } })).status, 200);
    await see(list.page, row.locator('td', { hasText: next }), 15_000);
    assert.deepEqual(navigations, { detail: 0, list: 0 }, 'no reload');
    console.log(`live: a note reached the open detail page ${noteMs} ms after the API answered`);
    assertClean(detail);
    assertClean(list);
  });

  test('an editor acknowledges, moves the state, adds a note and resolves; the page follows each step', { timeout: 90_000 }, async () => {
    const tab = await open(tokens.editor, `/incidents/${incident.number}`);
    const { page } = tab;
    const facts = page.locator('.incident-facts');
    const timelineKinds = () => page.locator('.incident-timeline li').evaluateAll((items) => items.map((li) => li.getAttribute('data-kind')));
    await see(page, page.getByRole('button', { name: 'Acknowledge' }));
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await see(page, page.locator('.incident-timeline li[data-kind=acknowledged]'));
    assert.match(await facts.innerText(), /Acknowledged\s*\n?.*by editor-/);
    assert.equal(await page.getByRole('button', { name: 'Acknowledge' }).count(), 0, 'acknowledged once');
    assert.doesNotMatch(await facts.innerText(), /not acknowledged yet/, 'MTTA known');
    await assertAccessible(page, 'incident detail (editor)');

    await page.locator('.incident-state-form').getByLabel('State').selectOption('monitoring');
    await page.getByRole('button', { name: 'Change state' }).click();
    await see(page, page.locator('.incident-timeline li[data-kind=state]', { hasText: '→ monitoring' }));
    assert.equal(await facts.locator('.badge').first().innerText(), 'monitoring');

    const text = `Failed over to the replica ${unique('n')}`;
    await page.getByLabel('Note').fill(text);
    await page.getByRole('button', { name: 'Add note' }).click();
    await see(page, page.locator('.incident-timeline li[data-kind=note]', { hasText: text }));
    assert.equal(await page.getByLabel('Note').inputValue(), '', 'the form empties once the note is saved');
    // A note published on the status pages is marked so on the timeline (and stored as public).
    const update = `We are restoring the ledger ${unique('u')}`;
    await page.getByLabel('Note').fill(update);
    await page.getByLabel('Publish on status pages').check();
    await page.getByRole('button', { name: 'Add note' }).click();
    await see(page, page.locator('.incident-timeline li[data-kind=note]', { hasText: update }));
    assert.match(await page.locator('.incident-timeline li[data-kind=note]', { hasText: update }).innerText(), /Public update/);
    assert.doesNotMatch(await page.locator('.incident-timeline li[data-kind=note]', { hasText: text }).innerText(), /Public update/);
    assert.equal(await page.getByLabel('Publish on status pages').isChecked(), false, 'the next note is private again');

    await page.getByRole('button', { name: 'Resolve' }).click();
    await see(page, page.locator('.incident-timeline li[data-kind=resolved]'));
    assert.equal(await facts.locator('.badge').first().innerText(), 'resolved');
    assert.equal(await page.getByRole('button', { name: 'Resolve' }).count(), 0);
    assert.match(await facts.innerText(), /MTTR\s*\n?\s*\d/);
    const kinds = await timelineKinds();
    const order = ['acknowledged', 'state', 'note', 'resolved'].map((k) => kinds.lastIndexOf(k));
    assert.deepEqual(order, [...order].sort((a, b) => a - b), `timeline order: ${kinds.join(', ')}`);

    const stored = (await api.call('GET', `/v1/incidents/${incident.id}`)).body;
    assert.equal(stored.state, 'resolved');
    assert.ok(stored.acknowledged_by.name.startsWith('editor-'));
    const notes = (stored.timeline as Array<{ kind: string; payload: { text?: string; public?: boolean } }>).filter((e) => e.kind === 'note');
    assert.deepEqual(notes.slice(-2).map((n) => [n.payload.text, n.payload.public === true]), [[text, false], [update, true]]);

    // An empty note is refused by the API and its message shown; nothing is written.
    await page.getByLabel('Note').fill('   ');
    await page.getByRole('button', { name: 'Add note' }).click();
    await see(page, page.locator('.incident-actions [role=alert]'));
    assert.match(await page.locator('.incident-actions [role=alert]').innerText(), /Must be 1 to 4000 characters/);
    assert.equal((await api.call('GET', `/v1/incidents/${incident.id}`)).body.timeline.filter((e: { kind: string }) => e.kind === 'note').length, notes.length, 'nothing written');
    assertClean(tab, [/status of 422|status of 400/]);
  });

  test('every view reads at a phone\'s width without scrolling the page sideways', { timeout: 90_000 }, async () => {
    const pages: Array<[string, string]> = [
      [`/incidents/${incident.number}`, '.incident-timeline li'],
      ['/incidents', 'table.incident-table tbody tr'],
      [`/teams/${teams.payments.id}`, '.team-dashboard table'],
      ['/overview', '.team-tile'],
    ];
    for (const [path, ready] of pages) {
      const tab = await open(api.adminToken, path, { width: 390, height: 844 });
      await see(tab.page, tab.page.locator(ready).first());
      const widths = await tab.page.evaluate(() => {
        const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
        return { scroll: root.scrollWidth, client: root.clientWidth };
      });
      assert.ok(widths.scroll <= widths.client, `${path} is ${widths.scroll} px wide in a ${widths.client} px window`);
      assertClean(tab);
    }
  });
});
