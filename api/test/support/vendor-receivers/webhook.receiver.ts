import { Webhook } from 'standardwebhooks';
import { HttpReceiver, isJson, isObject, problemList } from './http-receiver.ts';

// The body Pharos documents (docs/alerting.md, "Webhook"), version 1.
const types = ['alert.firing', 'alert.resolved', 'notification.test'];
const severities = ['critical', 'error', 'warning', 'info'];

/** Validates the documented webhook body (version 1); returns the problems found. */
export function webhookBodyProblems(json: unknown): string[] {
  const { problems, check } = problemList();
  if (!isObject(json)) return ['body must be a JSON object'];
  check(types.includes(String(json.type)), `type must be one of ${types.join(', ')}`);
  check(typeof json.timestamp === 'string' && !Number.isNaN(Date.parse(json.timestamp)), 'timestamp must be RFC 3339');
  const d = json.data;
  if (!isObject(d)) return [...problems, 'data must be an object'];
  check(d.version === '1', 'data.version must be "1"');
  check(`alert.${String(d.status)}` === json.type || (d.status === 'test' && json.type === 'notification.test'), 'data.status must match type');
  for (const f of ['id', 'title', 'text', 'team', 'group_key', 'dedup_key'] as const) check(typeof d[f] === 'string', `data.${f} must be a string`);
  check(isObject(d.group_labels), 'data.group_labels must be an object');
  check(d.console_url === null || typeof d.console_url === 'string', 'data.console_url must be a string or null');
  check(Number.isInteger(d.truncated_alerts) && (d.truncated_alerts as number) >= 0, 'data.truncated_alerts must be a count');
  if (!Array.isArray(d.alerts)) return [...problems, 'data.alerts must be an array'];
  d.alerts.forEach((a, i) => {
    const at = `data.alerts[${i}]`;
    if (!isObject(a)) return check(false, `${at} must be an object`);
    for (const f of ['id', 'rule_id', 'rule_name', 'starts_at'] as const) check(typeof a[f] === 'string', `${at}.${f} must be a string`);
    check(severities.includes(String(a.severity)), `${at}.severity must be one of ${severities.join(', ')}`);
    check(a.state === 'firing' || a.state === 'resolved', `${at}.state must be firing or resolved`);
    check(isObject(a.labels) && isObject(a.annotations), `${at}.labels and annotations must be objects`);
    check(a.ends_at === null || typeof a.ends_at === 'string', `${at}.ends_at must be a string or null`);
    check(a.value === null || typeof a.value === 'number', `${at}.value must be a number or null`);
    check(a.url === null || typeof a.url === 'string', `${at}.url must be a string or null`);
  });
  return problems;
}

export interface WebhookReceiver extends HttpReceiver {
  /** Distinct webhook-id values accepted: what a receiver that deduplicates would act on. */
  deliveredIds(): Set<string>;
}

/**
 * A webhook endpoint that verifies each request with the reference Standard Webhooks library
 * (signature, timestamp tolerance) and the documented body: 204 when both hold, 401 for a bad
 * signature, 400 for a body that drifts from the documented format.
 */
export function webhookReceiver(secret: string): WebhookReceiver {
  const verifier = new Webhook(secret);
  const receiver = new HttpReceiver(({ method, headers, body, json }) => {
    const { problems, check } = problemList();
    check(method === 'POST', 'method must be POST');
    check(isJson(headers), 'content-type must be application/json');
    try {
      verifier.verify(body, { 'webhook-id': String(headers['webhook-id'] ?? ''), 'webhook-timestamp': String(headers['webhook-timestamp'] ?? ''), 'webhook-signature': String(headers['webhook-signature'] ?? '') });
    } catch (error) {
      problems.push(`signature: ${(error as Error).message}`);
      return { problems, answer: { status: 401, body: 'invalid signature' } };
    }
    problems.push(...webhookBodyProblems(json));
    return { problems, answer: problems.length ? { status: 400, body: problems.join('; ') } : { status: 204, body: '' } };
  }) as WebhookReceiver;
  receiver.deliveredIds = () => new Set(receiver.accepted.map((r) => String(r.headers['webhook-id'])));
  return receiver;
}
