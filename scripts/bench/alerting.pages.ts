import { createHmac, timingSafeEqual } from 'node:crypto';
import { percentile } from './load.ts';

// Pure pieces of `npm run bench:alerting` (scripts/bench/alerting.bench.ts): reading the pages the
// webhook receiver got, rendering the config templates, summarizing latencies.

export type PageStatus = 'firing' | 'resolved';

/** One request the webhook receiver got. */
export interface Page {
  /** The receiver path it was posted to, e.g. "/am/default". */
  channel: string;
  /** Epoch ms of its arrival. */
  at: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/** The alerts of an Alertmanager webhook notification (version 4): each alert's status and `instance` label. */
export function alertmanagerAlerts(body: string): Array<{ status: PageStatus; instance: string }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const alerts = (parsed as { alerts?: unknown } | null)?.alerts;
  if (!Array.isArray(alerts)) return [];
  return alerts.flatMap((a: { status?: unknown; labels?: { instance?: unknown } }) =>
    (a?.status === 'firing' || a?.status === 'resolved') && typeof a.labels?.instance === 'string' ? [{ status: a.status, instance: a.labels.instance }] : [],
  );
}

const statusKeys = new Set(['status', 'state', 'to', 'to_state', 'type', 'event', 'event_type', 'action', 'event_action']);

/**
 * Whether a Pharos webhook body announces a firing or a resolved alert: the values of its
 * status-like keys (status, state, to, type, event, action, …) at any depth; "resolved" wins, since a
 * resolution may also say what it resolved from.
 */
export function pharosPageStatus(body: string): PageStatus | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const values: string[] = [];
  const walk = (v: unknown, depth: number): void => {
    if (depth > 8 || v === null || typeof v !== 'object') return;
    for (const [k, child] of Object.entries(v)) {
      if (typeof child === 'string' && statusKeys.has(k.toLowerCase())) values.push(child.toLowerCase());
      else walk(child, depth + 1);
    }
  };
  walk(parsed, 0);
  if (values.some((s) => s.includes('resolve'))) return 'resolved';
  if (values.some((s) => s.includes('firing') || s.includes('fired') || s.includes('trigger'))) return 'firing';
  return undefined;
}

/**
 * The alerts among `names` a Pharos webhook body is about, with their status: from the documented
 * body's `data.alerts[]` (`rule_name` or `labels.alertname`, and `state`) where it has one; otherwise
 * every name the body carries, with the body's status (pharosPageStatus).
 */
export function pharosAlerts(body: string, names: readonly string[]): Array<{ name: string; status: PageStatus }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const alerts = (parsed as { data?: { alerts?: unknown } } | null)?.data?.alerts;
  if (Array.isArray(alerts)) {
    return alerts.flatMap((a: { rule_name?: unknown; labels?: { alertname?: unknown }; state?: unknown } | null) => {
      const name = typeof a?.rule_name === 'string' ? a.rule_name : a?.labels?.alertname;
      const status = a?.state;
      return typeof name === 'string' && names.includes(name) && (status === 'firing' || status === 'resolved') ? [{ name, status }] : [];
    });
  }
  const status = pharosPageStatus(body);
  return status ? namesIn(body, names).map((name) => ({ name, status })) : [];
}

/** Which of `names` (alert names) a page body carries as a JSON string value. */
export function namesIn(body: string, names: readonly string[]): string[] {
  return names.filter((n) => body.includes(JSON.stringify(n)));
}

/**
 * Checks a Standard Webhooks signature: `webhook-signature` holds space-separated `v1,<base64>`
 * entries of HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}`, keyed by the secret's bytes
 * (base64 after a `whsec_` prefix).
 */
export function standardWebhookValid(secret: string, headers: Page['headers'], body: string): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (!id || !timestamp || !signatures) return false;
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret);
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || !value) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** Fills `{{NAME}}` placeholders; a placeholder without a value is an error, not an empty string. */
export function render(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template placeholder {{${name}}} has no value`);
    return value;
  });
}

export interface Latency {
  /** Samples measured (the flips that got their page). */
  n: number;
  /** Flips in all. */
  of: number;
  median: number;
  p90: number;
  max: number;
}

/** Median, p90 and max of latencies in ms; NaN ones (no page) count in `of` only. */
export function summarize(values: readonly number[]): Latency {
  const got = values.filter(Number.isFinite).sort((a, b) => a - b);
  return { n: got.length, of: values.length, median: percentile(got, 50), p90: percentile(got, 90), max: got.at(-1) ?? NaN };
}
