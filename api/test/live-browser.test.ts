import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { monotonicFactory } from 'ulid';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { browserSkip, launchBrowser } from '../../scripts/test/support/browser.ts';
import { openConsole, type ConsolePage } from '../../scripts/test/support/console.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';

// The console's live updates in headless Chromium: the header says "Live", a state change pushed
// through the runner protocol shows on the open health page without a reload, and when the API's
// listener goes away the header says "Reconnecting…" until the stream is back. It also measures the
// time from an ingest's commit to the batch arriving in the browser:
//   npm test -- api/test/live-browser.test.ts   (prints "live latency" lines)

const ulid = monotonicFactory();
const SAMPLES = 20;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('live updates in the console', { skip: postgresSkip() || browserSkip() }, () => {
  let api: TestApi;
  let browser: Browser;
  let runner: SimulatedRunner;
  let tab: ConsolePage;
  let cdp: CDPSession;
  const region = unique('r');
  let service: string;
  let monitor: string;
  let viewer: string;
  /** When each chunk of the tab's stream reached the browser (ms, this process's clock). */
  const chunks: number[] = [];
  const errors: string[] = [];

  /** The monitor's (and so the service's) state after the last push. */
  let current: 'up' | 'down' = 'up';
  const push = async (status: 'up' | 'down') => {
    current = status;
    const result = { id: `res_${ulid()}`, monitor_id: monitor, region, started_at: new Date().toISOString(), status, duration_ms: 5, ...(status === 'down' ? { error: { code: 'connect_refused', message: 'connection refused' } } : {}) };
    const res = await api.call('POST', '/v1/runner/results', { token: runner.token, body: { runner_id: runner.id, results: [result] } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  };
  const indicator = (page: Page) => page.locator('header .live-indicator');
  const badge = (page: Page) => page.locator(`li[data-service-id="${service}"] .badge`).first();
  const nextChunk = async (after: number, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = chunks.find((t) => t >= after);
      if (at !== undefined) return at;
      if (Date.now() > deadline) throw new Error('no stream data reached the browser');
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  before(async () => {
    api = await startTestApi({ backend: 'postgres', app: { runner: { leaseSeconds: 600 } } });
    const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('live') })).id;
    service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id;
    monitor = (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(service), interval_seconds: 300, timeout_seconds: 1, failure_threshold: 1, recovery_threshold: 1, regions: [region] })).id;
    viewer = (await expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique('viewer'), role: 'viewer', team_id: team })).token;
    runner = await registerRunner(api, (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region, labels: {} })).token as string);
    await pollRunner(api, runner);
    await api.app.settle();
    await push('up');
    browser = await launchBrowser();
    tab = await openConsole(browser, api.url, viewer, '/');
    // Errors with the URL they are about, from the reload on (the browser's own favicon request answers 404, as everywhere in the console).
    tab.page.on('pageerror', (e) => errors.push(String(e)));
    tab.page.on('console', (m) => void (m.type() === 'error' && !/favicon\.ico$/.test(m.location().url) && errors.push(`${m.text()} @ ${m.location().url}`)));
    // Stream chunks as the browser receives them, through the DevTools protocol (the page is reloaded so its stream is seen from the start).
    cdp = await tab.page.context().newCDPSession(tab.page);
    await cdp.send('Network.enable');
    const streams = new Set<string>();
    cdp.on('Network.requestWillBeSent', (e) => void (new URL(e.request.url).pathname === '/v1/stream' && streams.add(e.requestId)));
    cdp.on('Network.dataReceived', (e) => void (streams.has(e.requestId) && e.dataLength > 40 && chunks.push(Date.now())));
    await tab.page.reload();
  });
  after(async () => {
    await browser?.close();
    await api?.close();
  });

  test('the header says Live, and a state change shows on the open page within a couple of seconds, without reloading', { timeout: 120_000 }, async () => {
    const { page } = tab;
    await indicator(page).getByText('Live', { exact: true }).waitFor({ timeout: 10_000 });
    assert.equal(await indicator(page).getAttribute('aria-live'), 'polite');
    await badge(page).getByText('up').waitFor({ timeout: 10_000 });
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));

    const sent = Date.now();
    await push('down');
    await badge(page).getByText('down').waitFor({ timeout: 2_000 });
    const shown = Date.now() - sent;

    // Commit → browser, SAMPLES times (alternating down/up, each waited for).
    const fromAnswer: number[] = [];
    const fromRequest: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const requested = Date.now();
      await push(i % 2 === 0 ? 'up' : 'down');
      const answered = Date.now();
      const arrived = await nextChunk(requested);
      fromAnswer.push(Math.max(0, arrived - answered));
      fromRequest.push(arrived - requested);
      await new Promise((r) => setTimeout(r, 300));
    }
    process.stdout.write(`# live latency: ingest answered → batch in the browser: median ${median(fromAnswer)} ms (min ${Math.min(...fromAnswer)}, max ${Math.max(...fromAnswer)}); ingest sent → batch: median ${median(fromRequest)} ms; first change visible on the page after ${shown} ms (n=${SAMPLES})\n`);
    assert.ok(median(fromAnswer) < 1_000, `median ${median(fromAnswer)} ms`);
    assert.equal(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded), true, 'the page was never reloaded');
    assert.deepEqual(tab.foreign, []);
    assert.deepEqual(errors, []);
  });

  test('when the API goes away the header says Reconnecting…, then Live again, and changes flow again without reloading', { timeout: 60_000 }, async () => {
    const { page } = tab;
    const port = Number(new URL(api.url).port);
    await indicator(page).getByText('Live', { exact: true }).waitFor({ timeout: 5_000 });
    await badge(page).getByText(current).waitFor({ timeout: 5_000 });
    api.server.close();
    api.server.closeAllConnections();
    await indicator(page).getByText('Reconnecting…').waitFor({ timeout: 5_000 });
    // Changes made while the page is cut off arrive when it resumes (Last-Event-ID).
    await new Promise((r) => setTimeout(r, 1_500));
    await new Promise<void>((resolve) => api.server.listen(port, '127.0.0.1', resolve));
    const next = current === 'up' ? 'down' : 'up';
    await push(next);
    await indicator(page).getByText('Live', { exact: true }).waitFor({ timeout: 20_000 });
    await badge(page).getByText(next).waitFor({ timeout: 5_000 });
    assert.equal(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded), true, 'the page was never reloaded');
    // The only errors are the browser's own lines about the requests refused while the API was away.
    assert.deepEqual(errors.filter((e) => !/net::ERR_|Failed to load resource|Failed to fetch/.test(e)), []);
  });
});
