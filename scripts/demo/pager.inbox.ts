import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

// The teams' pagers of a running demo: each team's webhook channel posts to the demo's control
// server (POST /pages/{team}), signed per Standard Webhooks with the team's secret. The inbox
// verifies every request with the reference library, keeps the pages in memory (the newest
// MAX_PAGES) and tells its listeners, which print one line per alert.

const MAX_PAGES = 1000;
const MAX_SEEN_IDS = 5000;

/** One alert of a notification, as the pager shows it. */
export interface Page {
  team: string;
  /** The notification id (webhook-id): a retry carries the same one and is not recorded again. */
  notification_id: string;
  status: 'firing' | 'resolved' | 'test';
  severity: string;
  rule: string;
  service: string | null;
  /** The service depended on, for an alert about a dependency edge (its label depends_on). */
  depends_on: string | null;
  monitor: string | null;
  alert_id: string | null;
  /** When the pager received it (ISO 8601). */
  received_at: string;
}

/** What a pager request came to: 204 (recorded), 401 (signature refused), 400 or 404. */
export interface PagerAnswer {
  status: 204 | 400 | 401 | 404;
  detail: string;
}

/** A fresh Standard Webhooks secret: "whsec_" and the base64 of 32 random bytes. */
export const generateWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown) => (typeof v === 'string' && v ? v : null);

/** The pages of one verified webhook body (documented in docs/alerting.md, "Webhook"), one per alert. */
export function pagesOf(team: string, notificationId: string, body: unknown, receivedAt: Date): Page[] {
  if (!isObject(body) || !isObject(body.data)) return [];
  const data = body.data;
  const status = data.status === 'firing' || data.status === 'resolved' || data.status === 'test' ? data.status : undefined;
  if (!status) return [];
  const base = { team, notification_id: notificationId, received_at: receivedAt.toISOString() };
  const alerts = Array.isArray(data.alerts) ? data.alerts.filter(isObject) : [];
  if (status === 'test' || alerts.length === 0) {
    return [{ ...base, status, severity: 'info', rule: text(data.title) ?? 'test', service: null, depends_on: null, monitor: null, alert_id: null }];
  }
  return alerts.map((a) => {
    const labels = isObject(a.labels) ? a.labels : {};
    return {
      ...base,
      status: a.state === 'resolved' ? 'resolved' : 'firing',
      severity: text(a.severity) ?? text(labels.severity) ?? 'error',
      rule: text(a.rule_name) ?? text(labels.alertname) ?? 'alert',
      service: text(labels.service),
      depends_on: text(labels.depends_on),
      monitor: text(labels.monitor),
      alert_id: text(a.id),
    } satisfies Page;
  });
}

/**
 * One readable line, e.g. "PAGE → fulfillment  FIRING  critical  fulfillment-path-blocked: fulfillment-api → shipping-integration  (12:03:04)"
 * (an edge alert: service → depends_on), or "…: shipping-integration / shipping-integration-get-rates" (an alert about a monitor).
 */
export function formatPage(p: Page): string {
  const subject = [p.service && p.depends_on ? `${p.service} → ${p.depends_on}` : p.service, p.monitor].filter(Boolean).join(' / ');
  const time = p.received_at.slice(11, 19);
  return `PAGE → ${p.team}  ${p.status.toUpperCase().padEnd(8)}  ${p.severity.padEnd(8)}  ${p.rule}${subject ? `: ${subject}` : ''}  (${time})`;
}

export class PagerInbox {
  /** Per team, the current secret's verifier and the one before it, so pages signed while declare-only rotates them still verify. */
  private readonly verifiers = new Map<string, Webhook[]>();
  private readonly pages: Page[] = [];
  private readonly seen = new Set<string>();
  private readonly listeners = new Set<(page: Page) => void>();

  constructor(readonly teams: readonly string[]) {}

  /** Sets the team secrets (write-only: they are never returned). A team left out keeps its secret. */
  setSecrets(secrets: Readonly<Record<string, string>>): void {
    for (const [team, secret] of Object.entries(secrets)) {
      if (!this.teams.includes(team)) throw new Error(`No team "${team}" in the demo fleet.`);
      this.verifiers.set(team, [new Webhook(secret), ...(this.verifiers.get(team) ?? []).slice(0, 1)]);
    }
  }

  /** Generates a secret per team, installs them and returns them (for the teams' channels). */
  rotateSecrets(): Record<string, string> {
    const secrets = Object.fromEntries(this.teams.map((t) => [t, generateWebhookSecret()]));
    this.setSecrets(secrets);
    return secrets;
  }

  /** Calls `listener` with each new page; returns the unsubscribe function. */
  onPage(listener: (page: Page) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every page received, oldest first. */
  list(): Page[] {
    return [...this.pages];
  }

  /** Verifies and records one request to POST /pages/{team}. */
  receive(team: string, headers: Readonly<Record<string, string | string[] | undefined>>, rawBody: string, now = new Date()): PagerAnswer {
    if (!this.teams.includes(team)) return { status: 404, detail: `No team "${team}" in the demo fleet; pages go to /pages/{team}, one of: ${this.teams.join(', ')}.` };
    const verifiers = this.verifiers.get(team);
    if (!verifiers) return { status: 401, detail: `The pager of ${team} has no signing secret yet: declare the demo (npm run demo -- declare-only).` };
    const header = (name: string) => {
      const v = headers[name];
      return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
    };
    const id = header('webhook-id');
    const signed = { 'webhook-id': id, 'webhook-timestamp': header('webhook-timestamp'), 'webhook-signature': header('webhook-signature') };
    let body: unknown;
    for (const verifier of verifiers) {
      try {
        body = verifier.verify(rawBody, signed);
        break;
      } catch {
        // try the previous secret
      }
    }
    if (body === undefined) {
      return { status: 401, detail: 'The Standard Webhooks signature does not verify with this team\'s secret (or its timestamp is more than 5 minutes off).' };
    }
    const pages = pagesOf(team, id, body, now);
    if (pages.length === 0) return { status: 400, detail: 'The body is not a Pharos webhook notification (docs/alerting.md, "Webhook").' };
    // A retry of a delivered notification carries the same webhook-id: acknowledge, record once.
    if (this.seen.has(`${team}\u0000${id}`)) return { status: 204, detail: 'already received' };
    this.seen.add(`${team}\u0000${id}`);
    if (this.seen.size > MAX_SEEN_IDS) this.seen.delete(this.seen.values().next().value!);
    for (const page of pages) {
      this.pages.push(page);
      if (this.pages.length > MAX_PAGES) this.pages.shift();
      for (const listener of this.listeners) listener(page);
    }
    return { status: 204, detail: 'recorded' };
  }
}
