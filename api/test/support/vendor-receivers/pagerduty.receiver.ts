import { randomUUID } from 'node:crypto';
import { HttpReceiver, isJson, isObject, problemList } from './http-receiver.ts';

// PagerDuty Events API v2 (developer-docs events-API-v2 Overview and Trigger Events).
const actions = ['trigger', 'acknowledge', 'resolve'];
const severities = ['critical', 'error', 'warning', 'info'];
const topLevel = new Set(['routing_key', 'event_action', 'dedup_key', 'payload', 'images', 'links', 'client', 'client_url']);
const payloadFields = new Set(['summary', 'source', 'severity', 'timestamp', 'component', 'group', 'class', 'custom_details']);

/** Validates an Events v2 event the way /v2/enqueue does; returns the problems found. */
export function pagerdutyProblems(headers: Record<string, unknown>, json: unknown, body: string): string[] {
  const { problems, check } = problemList();
  check(isJson(headers as never), 'content-type must be application/json');
  check(Buffer.byteLength(body) <= 512 * 1024, 'event larger than 512 KB');
  if (!isObject(json)) return [...problems, 'body must be a JSON object'];
  for (const key of Object.keys(json)) check(topLevel.has(key), `unknown field "${key}"`);
  check(typeof json.routing_key === 'string' && /^[A-Za-z0-9]{32}$/.test(json.routing_key), 'routing_key must be a 32-character integration key');
  check(actions.includes(String(json.event_action)), `event_action must be one of ${actions.join(', ')}`);
  if (json.dedup_key !== undefined) check(typeof json.dedup_key === 'string' && json.dedup_key.length > 0 && json.dedup_key.length <= 255, 'dedup_key must be 1 to 255 characters');
  if (json.event_action !== 'trigger') {
    check(typeof json.dedup_key === 'string', `${String(json.event_action)} needs the dedup_key of the trigger`);
    return problems;
  }
  const p = json.payload;
  if (!isObject(p)) return [...problems, 'a trigger needs a payload object'];
  for (const key of Object.keys(p)) check(payloadFields.has(key), `unknown payload field "${key}"`);
  check(typeof p.summary === 'string' && p.summary.length > 0 && p.summary.length <= 1024, 'payload.summary must be 1 to 1024 characters');
  check(typeof p.source === 'string' && p.source.length > 0, 'payload.source is required');
  check(severities.includes(String(p.severity)), `payload.severity must be one of ${severities.join(', ')}`);
  if (p.timestamp !== undefined) check(typeof p.timestamp === 'string' && !Number.isNaN(Date.parse(p.timestamp)), 'payload.timestamp must be ISO 8601');
  for (const f of ['component', 'group', 'class'] as const) if (p[f] !== undefined) check(typeof p[f] === 'string', `payload.${f} must be a string`);
  if (p.custom_details !== undefined) check(isObject(p.custom_details), 'payload.custom_details must be an object');
  if (json.links !== undefined) {
    check(Array.isArray(json.links), 'links must be an array');
    if (Array.isArray(json.links)) json.links.forEach((l, i) => check(isObject(l) && typeof l.href === 'string' && /^https?:\/\//.test(l.href) && (l.text === undefined || typeof l.text === 'string'), `links[${i}] must be {href, text}`));
  }
  return problems;
}

export interface PagerdutyReceiver extends HttpReceiver {
  /** dedup_key → the state its alert is in after the events accepted so far. */
  incidents: Map<string, 'triggered' | 'acknowledged' | 'resolved'>;
}

/** A local /v2/enqueue: 202 {status:"success", dedup_key} for a valid event, 400 "invalid event" with errors otherwise. */
export function pagerdutyReceiver(): PagerdutyReceiver {
  const incidents = new Map<string, 'triggered' | 'acknowledged' | 'resolved'>();
  const receiver = new HttpReceiver(({ method, path, headers, body, json }) => {
    const problems = [...(method === 'POST' && path === '/v2/enqueue' ? [] : [`${method} ${path} is not POST /v2/enqueue`]), ...pagerdutyProblems(headers, json, body)];
    if (problems.length) return { problems, answer: { status: 400, contentType: 'application/json', body: JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors: problems }) } };
    const event = json as { event_action: string; dedup_key?: string };
    const key = event.dedup_key ?? randomUUID().replace(/-/g, '');
    incidents.set(key, event.event_action === 'trigger' ? 'triggered' : event.event_action === 'resolve' ? 'resolved' : 'acknowledged');
    return { problems, answer: { status: 202, contentType: 'application/json', body: JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: key }) } };
  }) as PagerdutyReceiver;
  receiver.incidents = incidents;
  return receiver;
}
