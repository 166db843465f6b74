import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ControlClient } from './demo/control.client.ts';
import { launchBrowser } from './test/support/browser.ts';
import { freePort, waitFor } from './test/support/processes.ts';

// `npm run screenshots`: regenerates docs/screenshots/*.png, each console view at 1400×1000 as a
// user sees it with the demo fleet during the reference outage. It starts its own Pharos (`npm
// start` with an embedded database in a temporary directory) and `npm run demo`, cuts
// shipping-integration → carrier-api, waits for the incident, photographs every view, and stops
// everything. Needs Debian's chromium (PHAROS_CHROMIUM to point elsewhere).

const root = join(import.meta.dirname, '..');
const out = join(root, 'docs', 'screenshots');
const say = (line: string) => process.stderr.write(`screenshots: ${line}\n`);

interface Api {
  get<T>(path: string): Promise<T>;
}

function child(entry: string, env: Record<string, string>, label: string): ChildProcess {
  const proc = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let tail = '';
  const keep = (chunk: Buffer) => void (tail = (tail + chunk.toString()).slice(-4000));
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  proc.on('exit', (code, signal) => code !== 0 && signal === null && say(`${label} exited with ${code}:\n${tail}`));
  return proc;
}

function stop(proc: ChildProcess | undefined): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => { try { process.kill(-proc.pid!, 'SIGKILL'); } catch { /* gone */ } }, 10_000);
    proc.once('exit', () => { clearTimeout(killer); resolve(); });
    try { process.kill(-proc.pid!, 'SIGINT'); } catch { resolve(); }
  });
}

/** Waits until the view has loaded: no "Loading …" status left and the network quiet. */
async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForFunction('!document.querySelector(".loading, .splash")', undefined, { timeout: 20_000 }).catch(() => undefined);
  await page.waitForTimeout(700); // layout animations and chart drawing
}

async function shoot(page: Page, name: string, path: string): Promise<void> {
  await page.goto(page.url().replace(/^(https?:\/\/[^/]+).*$/, `$1${path}`));
  await settled(page);
  await page.screenshot({ path: join(out, `${name}.png`) });
  say(`${name}.png  ${path}`);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pharos-screens-'));
  const port = await freePort();
  const controlPort = await freePort();
  const token = `phs_${randomBytes(32).toString('base64url')}`;
  const base = `http://127.0.0.1:${port}`;
  const api: Api = {
    async get<T>(path: string) {
      const res = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    },
  };
  let pharos: ChildProcess | undefined;
  let demo: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    mkdirSync(out, { recursive: true });
    pharos = child(join(root, 'scripts/start.ts'), { PORT: String(port), PHAROS_DATA_DIR: dataDir, PHAROS_ADMIN_TOKEN: token }, 'npm start');
    await waitFor('Pharos to answer /healthz', 90_000, async () => (await fetch(`${base}/healthz`).catch(() => undefined))?.ok, 500);
    demo = child(join(root, 'scripts/demo.ts'), { PHAROS_API_URL: base, PHAROS_TOKEN: token, PHAROS_DEMO_CONTROL_PORT: String(controlPort), PHAROS_DEMO_INTERVAL: '10' }, 'npm run demo');
    say('waiting for the demo fleet to be declared and up');
    await waitFor('the fleet up', 240_000, async () => {
      const status = await api.get<{ services: Array<{ state: string }> }>('/v1/status').catch(() => undefined);
      return status && status.services.length >= 31 && status.services.filter((s) => s.state === 'up').length >= 28;
    }, 2000);
    browser = await launchBrowser();
    const signIn = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await signIn.goto(`${base}/`);
    await signIn.waitForSelector('form');
    await signIn.screenshot({ path: join(out, 'sign-in.png') });
    say('sign-in.png  /');
    await signIn.close();

    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    await context.addInitScript((t: string) => (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem('pharos.token', t), token);
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await shoot(page, 'health', '/');
    await shoot(page, 'map', '/map');

    say('cutting shipping-integration → carrier-api');
    await new ControlClient(`http://127.0.0.1:${controlPort}`).run(['cut', 'shipping-integration', 'carrier-api']);
    const incident = await waitFor('an incident with its root cause', 120_000, async () => {
      const open = await api.get<{ items: Array<{ id: string; root_cause: unknown; state: string }> }>('/v1/incidents?state=open').catch(() => undefined);
      return open?.items.find((i) => i.root_cause);
    }, 2000);
    await page.waitForTimeout(8000); // held pages and the impacted services settle
    await shoot(page, 'map-incident', '/map');
    await shoot(page, 'health-incident', '/');
    await shoot(page, 'incidents', '/incidents');
    await shoot(page, 'incident', `/incidents/${incident.id}`);
    const monitors = await api.get<{ items: Array<{ id: string; name: string }> }>('/v1/monitors?limit=200');
    const monitor = monitors.items.find((m) => m.name === 'shipping-integration-reaches-carrier-api') ?? monitors.items[0]!;
    await shoot(page, 'monitor', `/monitors/${monitor.id}`);
    await shoot(page, 'sla', '/sla');
    const teams = await api.get<{ items: Array<{ id: string; name: string }> }>('/v1/teams');
    const fulfillment = teams.items.find((t) => t.name === 'fulfillment') ?? teams.items[0]!;
    await shoot(page, 'team', `/teams/${fulfillment.id}`);
    await shoot(page, 'overview', '/overview');
    await shoot(page, 'status-pages', '/status-pages');
    const pages = await api.get<{ items: Array<{ slug: string; visibility: string }> }>('/v1/status-pages').catch(() => ({ items: [] }));
    const publicPage = pages.items.find((p) => p.visibility === 'public');
    if (publicPage) {
      const anonymous = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await anonymous.goto(`${base}/status/${publicPage.slug}`);
      await settled(anonymous);
      await anonymous.screenshot({ path: join(out, 'status-page.png') });
      say(`status-page.png  /status/${publicPage.slug}`);
      await anonymous.close();
    }
    await context.close();
  } finally {
    await browser?.close().catch(() => undefined);
    await stop(demo);
    await stop(pharos);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    say(`failed: ${(error as Error).stack ?? error}`);
    process.exit(1);
  },
);
