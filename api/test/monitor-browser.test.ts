import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { monotonicFactory } from 'ulid';
import type { Browser } from 'playwright-core';
import { browserSkip, launchBrowser } from '../../scripts/test/support/browser.ts';
import { accessibilityViolations, describeViolations, openConsole, type ConsolePage } from '../../scripts/test/support/console.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// The monitor detail and SLA views in headless Chromium on PostgreSQL: results pushed by two runners
// (two regions, varied latencies and timings, a few failures) and a deploy event; the page's charts,
// captions, tables, uptime bars and failures are compared with what the API answers.

const skip = postgresSkip() || browserSkip();
const ulid = monotonicFactory();
let api: TestApi;
let browser: Browser;
const east = unique('east');
const west = unique('west');
const runners: Record<string, SimulatedRunner> = {};
const ids = { team: '', service: '', monitor: '', slo: '' };
const tabs: ConsolePage[] = [];
const traceId = 'c0ffee'.padEnd(32, '7');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function push(region: string, results: Array<Record<string, unknown>>) {
  const r = runners[region]!;
  const res = await api.call('POST', '/v1/runner/results', { token: r.token, body: { runner_id: r.id, results: results.map((x) => ({ id: `res_${ulid()}`, monitor_id: ids.monitor, region, started_at: new Date().toISOString(), ...x })) } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.accepted.length, results.length, JSON.stringify(res.body));
}
const up = (d: number) => ({ status: 'up', duration_ms: d, status_code: 200, timings: { dns_ms: 2, connect_ms: 3 + (d % 7), tls_ms: 8, first_byte_ms: d - 20 - (d % 7), download_ms: 7, total_ms: d } });
const get = async (path: string) => (await api.call('GET', path)).body;
const percentText = (ratio: number, digits = 3) => `${(ratio * 100).toFixed(digits).replace(/\.?0+$/, '')} %`;

/**
 * A signed-in tab at `path`, with the API answers the page received by path and query: the page is
 * compared with exactly what it was given (daily uptime grows by the second while the day goes on).
 */
async function open(path: string, viewport?: { width: number; height: number }) {
  const tab = await openConsole(browser, api.url, api.adminToken, '/', viewport);
  tabs.push(tab);
  const answers = new Map<string, Promise<any>>();
  const failed: string[] = [];
  tab.page.on('response', (r) => {
    const url = new URL(r.url());
    if (r.status() >= 400) failed.push(`${r.status()} ${url.pathname}${url.search}`);
    if (url.pathname.startsWith('/v1/')) answers.set(`${url.pathname}${url.search}`, r.json().catch(() => undefined));
  });
  // The browser asks for /favicon.ico (the console declares no icon) and logs its 404: answered here
  // from now on; a 404 logged while the first page loaded is that request.
  await tab.page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
  const early = tab.errors.splice(0);
  assert.deepEqual(early.filter((e) => !/status of 404/.test(e)), [], 'no page errors on the first page');
  await tab.page.goto(`${api.url}${path}`);
  const answer = async (key: string) => {
    assert.ok(answers.has(key), `the page asked for ${key}; it asked for ${[...answers.keys()].join(', ')}`);
    return answers.get(key)!;
  };
  return { ...tab, answer, failed };
}

before(async () => {
  if (skip) return;
  api = await startTestApi({ backend: 'postgres' });
  browser = await launchBrowser();
  const admin = api.adminToken;
  ids.team = (await expectOk(api, 'POST', '/v1/teams', admin, { name: unique('checkout') })).id;
  ids.service = (await expectOk(api, 'POST', '/v1/services', admin, bodies.service(ids.team))).id;
  ids.monitor = (await expectOk(api, 'POST', '/v1/monitors', admin, { ...bodies.monitor(ids.service), name: unique('checkout-health'), regions: [east, west], failure_threshold: 1, recovery_threshold: 1 })).id;
  for (const region of [east, west]) {
    const token = (await expectOk(api, 'POST', '/v1/runner-tokens', admin, { name: unique('rt'), region, labels: {} })).token as string;
    runners[region] = await registerRunner(api, token);
    await pollRunner(api, runners[region]!);
  }
  await api.app.settle();
  await expectOk(api, 'POST', '/v1/events', admin, { service: ids.service, kind: 'deploy', version: 'v2.4.1', actor: 'ci', at: new Date(Date.now() - 5 * 60_000).toISOString() });
  await push(east, [40, 55, 62, 70, 85, 90, 120, 150].map(up));
  await push(west, [180, 210, 240, 260, 300, 420].map(up));
  await push(east, [{
    status: 'down', duration_ms: 30, status_code: 503, trace_id: traceId, error: { code: 'assertion_failed', message: 'status code 503, expected 200' },
    assertions: [{ source: 'status_code', operator: 'equals', target: '200', actual: '503', passed: false, severity: 'down' }],
  }]);
  await sleep(1500);
  await push(east, [65, 75].map(up));
  ids.slo = (await expectOk(api, 'POST', '/v1/slos', admin, { name: unique('checkout-uptime'), team_id: ids.team, service_id: ids.service, objective: 'uptime', target_percent: 99.5, window: 'rolling_7d' })).id;
});

after(async () => {
  for (const t of tabs) await t.page.context().close();
  await browser?.close();
  await api?.close();
});

test('the monitor page draws latency, timings, 90 uptime bars and the failures from the API', { skip, timeout: 90_000 }, async () => {
  const tab = await open(`/monitors/${ids.monitor}`);
  const { page } = tab;
  await page.waitForSelector('[data-chart="latency"] canvas', { timeout: 20_000 });
  await page.waitForSelector('[data-chart="timings"] canvas', { timeout: 20_000 });
  await page.waitForSelector('.uptime-bar', { timeout: 20_000 });
  await page.waitForSelector('table.failures', { timeout: 20_000 });
  assert.match(await page.locator('h1').innerText(), /checkout-health/);

  const latency = await get(`/v1/monitors/${ids.monitor}/latency?window=24h`);
  for (const region of [east, west]) {
    const series = latency.regions.find((r: { region: string }) => r.region === region);
    const latest = series.points.at(-1);
    const caption = page.locator(`#latency-caption .caption-region[data-region="${region}"]`);
    assert.equal(await caption.locator('[data-figure="p95"]').getAttribute('data-value'), String(latest.p95), `${region} p95 in the caption`);
    assert.equal(await caption.locator('[data-figure="p50"]').getAttribute('data-value'), String(latest.p50), `${region} p50 in the caption`);
  }
  assert.ok(latency.regions.find((r: { region: string }) => r.region === west).p95 > latency.regions.find((r: { region: string }) => r.region === east).p95);
  // The legend names a p50 and a p95 line per region.
  const legend = await page.locator('[data-chart="latency"] .u-legend').innerText();
  for (const name of [`${east} p50`, `${east} p95`, `${west} p50`, `${west} p95`]) assert.ok(legend.includes(name), `legend has ${name}`);
  assert.match(await page.locator('[data-chart="latency"] .chart-marker').first().innerText(), /deploy v2\.4\.1/);

  // The table alternative lists every step of the answer.
  await page.locator('#latency-heading').locator('xpath=../..').getByRole('button', { name: 'Show as table' }).click();
  const steps = latency.regions.reduce((n: number, r: { points: unknown[] }) => n + r.points.length, 0);
  assert.equal(await page.locator('table.latency-table tbody tr').count(), steps);

  // Timings: one stacked bar per result with a breakdown; the caption names the newest result's phases.
  const recent = (await get(`/v1/monitors/${ids.monitor}/results?limit=50`)).items.filter((r: { timings?: unknown }) => r.timings);
  assert.match(await page.locator('#timings-caption').innerText(), new RegExp(`last ${recent.length} results`));
  assert.match(await page.locator('#timings-caption').innerText(), /DNS 2 ms, connect \d+ ms, TLS 8 ms, first byte \d+ ms, download 7 ms/);

  // 90 days of uptime; today's bar says what the daily endpoint says.
  const daily = (await tab.answer(`/v1/sla/monitors/${ids.monitor}/daily?days=90`)).days;
  assert.equal(await page.locator('.uptime-bar').count(), 90);
  const today = page.locator('.uptime-bar').last();
  const label = (await today.getAttribute('aria-label'))!;
  const todayApi = daily.at(-1);
  assert.ok(label.startsWith(`${todayApi.date}: `), label);
  assert.ok(todayApi.uptime_ratio < 1 && todayApi.downtime_seconds > 0, JSON.stringify(todayApi));
  assert.equal(label, `${todayApi.date}: ${percentText(todayApi.uptime_ratio)} up, down ${Math.round(todayApi.downtime_seconds)} s`);
  const fresh = (await get(`/v1/sla/monitors/${ids.monitor}/daily?days=90`)).days.at(-1);
  assert.equal(fresh.downtime_seconds, todayApi.downtime_seconds, 'the page asked the daily endpoint; downtime stays fixed while the day goes on');
  assert.equal(await page.locator('.uptime-bar.day-none').count(), 89, 'the days before the monitor existed have no data');
  // Keyboard: one tab stop, arrow keys move between days.
  await today.focus();
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.evaluate(() => (globalThis as any).document.activeElement?.getAttribute('data-date')), daily.at(-2).date);

  // The last failures: error, assertion outcome and trace id.
  const failures = page.locator('table.failures tbody tr');
  assert.equal(await failures.count(), 1);
  const row = await failures.first().innerText();
  assert.match(row, /assertion_failed/);
  assert.match(row, /status code 503, expected 200/);
  assert.match(row, /failed: status_code equals 200 \(was 503\)/);
  assert.ok(row.includes(traceId));

  const violations = await accessibilityViolations(page);
  assert.deepEqual(violations, [], describeViolations(violations));

  // A new failure shows in the open page without a reload (the live stream reports the state change).
  await push(west, [{ status: 'down', duration_ms: 12, trace_id: 'b'.repeat(32), error: { code: 'timeout', message: 'no answer within 10 s' } }]);
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('table.failures tbody tr').length === 2, null, { timeout: 15_000 });
  assert.match(await failures.first().innerText(), /timeout no answer within 10 s/);
  assert.deepEqual(tab.foreign, []);
  assert.deepEqual(tab.errors, [], tab.failed.join(', '));
});

test('the 7d window reads hour steps; a phone has no horizontal page scroll', { skip, timeout: 60_000 }, async () => {
  const tab = await open(`/monitors/${ids.monitor}`, { width: 390, height: 844 });
  const { page } = tab;
  await page.waitForSelector('[data-chart="latency"] canvas', { timeout: 20_000 });
  await page.getByRole('button', { name: '7d' }).click();
  await page.waitForFunction(() => /Latest step \(60 min\)/.test((globalThis as any).document.querySelector('#latency-caption')?.textContent ?? ''), null, { timeout: 20_000 });
  assert.ok(page.url().endsWith('?window=7d'));
  await page.waitForSelector('.uptime-bar');
  const overflow = await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth - (globalThis as any).innerWidth);
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow} px`);
  const violations = await accessibilityViolations(page);
  assert.deepEqual(violations, [], describeViolations(violations));
  assert.deepEqual(tab.errors, []);
});

test('the SLA page shows the service\'s uptime and the SLO\'s budget with its burn chart', { skip, timeout: 60_000 }, async () => {
  const tab = await open(`/sla?window=7d&team=${ids.team}`);
  const { page } = tab;
  const row = page.locator(`table.sla-table tr[data-subject="${ids.service}"]`);
  await row.waitFor({ timeout: 20_000 });
  const report = await tab.answer(`/v1/sla/services/${ids.service}?window=7d`);
  assert.ok(report.uptime_percent !== null && report.uptime_percent < 100, JSON.stringify(report));
  assert.equal(await row.locator('[data-figure="uptime"]').innerText(), percentText(report.uptime_percent / 100, 4));
  assert.equal(await page.locator(`table.sla-table tr[data-subject="${ids.team}"]`).count(), 1, 'the team row');
  assert.equal(await page.locator('#sla-team').inputValue(), ids.team, 'the team filter comes from the URL');
  const slo = page.locator(`li.slo[data-slo="${ids.slo}"]`);
  await slo.locator('[data-chart="budget"] canvas').waitFor({ timeout: 20_000 });
  const status = await tab.answer(`/v1/slos/${ids.slo}/status`);
  assert.equal(await slo.locator('[data-figure="budget"]').innerText(), `${status.error_budget.remaining_percent.toFixed(2)} %`);
  assert.match(await slo.locator('figcaption').innerText(), /budget left -?[\d.]+ % after 7 days/);
  let violations = await accessibilityViolations(page);
  assert.deepEqual(violations, [], describeViolations(violations));
  // On a phone the tables scroll in their own boxes, never the page.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForFunction(() => (globalThis as any).document.documentElement.scrollWidth <= (globalThis as any).innerWidth, null, { timeout: 5_000 });
  violations = await accessibilityViolations(page);
  assert.deepEqual(violations, [], describeViolations(violations));
  assert.deepEqual(tab.foreign, []);
  assert.deepEqual(tab.errors, []);
});
