import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { browserSkip, launchBrowser } from '../../scripts/test/support/browser.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';

// The interactive API reference as a person sees it, in headless Chromium.

const skip = postgresSkip() || browserSkip();
let api: TestApi;
let browser: Browser;
before(async () => {
  if (skip) return;
  api = await startTestApi();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await api?.close();
});

test('/docs renders every operation and can call the API with a token', { skip, timeout: 60_000 }, async () => {
  const page = await browser.newPage();
  const failed: string[] = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  await page.goto(`${api.url}/docs`);
  await page.waitForSelector('.opblock', { timeout: 20_000 });
  const documented = Object.values((await api.call('GET', '/openapi.json', { token: null })).body.paths as Record<string, object>).reduce((n, ops) => n + Object.keys(ops).length, 0);
  // swagger-ui renders the operations of a large document only as they come into view: a viewport
  // tall enough for the whole list shows whether every operation renders.
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 40_000 });
  let operations = 0;
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await page.waitForTimeout(200)) {
    operations = await page.locator('.opblock').count();
    if (operations >= documented) break;
  }
  assert.equal(operations, documented, 'one block per documented operation');
  assert.ok(await page.getByText('Pharos control plane API').first().isVisible());
  // Authorize with the admin token and try "List teams".
  await page.locator('.auth-wrapper button.authorize').click();
  const modal = page.locator('.modal-ux');
  await modal.locator('input').first().fill(api.adminToken);
  await modal.locator('button.modal-btn.auth.authorize').first().click();
  await modal.locator('button.btn-done').first().click();
  const block = page.locator('#operations-Teams-list_teams');
  await block.locator('.opblock-summary').click();
  await block.getByRole('button', { name: 'Try it out' }).click();
  await block.getByRole('button', { name: 'Execute' }).click();
  await block.locator('.live-responses-table tbody .response-col_status').first().waitFor({ timeout: 10_000 });
  assert.equal((await block.locator('.live-responses-table tbody .response-col_status').first().innerText()).trim(), '200');
  const dir = join(tmpdir(), 'pharos-screens');
  mkdirSync(dir, { recursive: true });
  if (viewport) await page.setViewportSize(viewport);
  await page.screenshot({ path: join(dir, 'docs.png') });
  assert.deepEqual(failed.filter((u) => !u.startsWith(api.url)), [], 'no request leaves the server');
});
