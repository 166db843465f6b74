import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startFleet, type RunningFleet } from '../demo/demo.api.ts';
import { browserSkip, launchBrowser } from './support/browser.ts';

// The demo's control page as a person uses it: buttons break a service and cut an edge.

const skip = browserSkip();
let fleet: RunningFleet;
let browser: Browser;
before(async () => {
  if (skip) return;
  fleet = await startFleet({ controlPort: 0 });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await fleet?.stop();
});

const status = async (url: string) => (await fetch(url)).status;

test('the control page breaks a service, cuts an edge and heals everything', { skip, timeout: 60_000 }, async () => {
  const page = await browser.newPage();
  await page.goto(fleet.controlUrl!);
  await page.getByRole('heading', { name: 'Pharos demo fleet' }).waitFor();
  assert.equal(await page.locator('table tr').count(), fleet.services.size + 1, 'one row per service');
  const cart = fleet.services.get('cart')!;
  const shipping = fleet.services.get('shipping-integration')!;

  await page.locator('tr', { hasText: 'cart' }).first().getByRole('button', { name: 'break' }).click();
  await page.locator('#status', { hasText: 'cart' }).waitFor();
  assert.equal(await status(`${cart.url}/health`), 500);

  // The preselected edge is the reference outage: shipping-integration → carrier-api.
  await page.getByRole('button', { name: 'cut edge' }).click();
  await page.locator('#status', { hasText: 'carrier-api' }).waitFor();
  assert.equal(await status(`${shipping.url}/health`), 200, '/health stays green');
  assert.equal(await status(`${shipping.url}/rates`), 502, 'the business endpoint fails');

  await page.getByRole('button', { name: 'heal all' }).click();
  await page.waitForFunction("!document.getElementById('status')?.textContent?.includes('carrier-api')");
  assert.equal(await status(`${cart.url}/health`), 200);
  assert.equal(await status(`${shipping.url}/rates`), 200);
});
