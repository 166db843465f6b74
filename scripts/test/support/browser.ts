import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = process.env.PHAROS_CHROMIUM ?? '/usr/bin/chromium';

/** Skip reason when no Chromium is installed; CI installs it and sets PHAROS_TEST_REQUIRE_BROWSER=1. */
export function browserSkip(): string | false {
  if (existsSync(chromiumPath)) return false;
  if (process.env.PHAROS_TEST_REQUIRE_BROWSER === '1') throw new Error(`PHAROS_TEST_REQUIRE_BROWSER=1 but ${chromiumPath} does not exist (apt-get install -y chromium).`);
  return `no Chromium at ${chromiumPath}`;
}

/** Headless Chromium with the flags this closed network needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
