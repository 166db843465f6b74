import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';

const require = createRequire(import.meta.url);

export interface ConsolePage {
  page: Page;
  /** URLs the page asked for that were not this server (must stay empty: every asset is Pharos's own). */
  foreign: string[];
  /** Uncaught page errors and console.error lines. */
  errors: string[];
}

/**
 * A console tab signed in with `token` (put in the tab's sessionStorage, as the sign-in form does),
 * at `path`. Size defaults to the screenshots' 1400×1000.
 */
export async function openConsole(browser: Browser, baseUrl: string, token: string, path = '/', viewport = { width: 1400, height: 1000 }): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport });
  // The scripts' tsconfig has no DOM types: page functions reach browser globals through globalThis.
  await context.addInitScript((t: string) => (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem('pharos.token', t), token);
  const page = await context.newPage();
  const foreign: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(baseUrl) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.push(r.url());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${baseUrl}${path}`);
  return { page, foreign, errors };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/**
 * Runs axe-core (WCAG 2.1 A/AA rules: contrast, labels, names, landmarks, keyboard focusability) on
 * the page as it is now and returns the violations; a test asserts there are none.
 */
export async function accessibilityViolations(page: Page, options: { exclude?: string[] } = {}): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, not added as a <script>: the console's CSP (script-src
  // 'self') rightly refuses inline scripts.
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  return page.evaluate(async (exclude: string[]) => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run({ exclude: exclude.map((s) => [s]) }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  }, options.exclude ?? []);
}

/** A readable line per violation, for assertion messages. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`).join('\n');
}
