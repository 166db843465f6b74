import { HttpReceiver, isJson, isObject, problemList } from './http-receiver.ts';

// Datadog Events API v1, POST /api/v1/events (docs.datadoghq.com/api/latest/events/post-an-event).
const alertTypes = ['error', 'warning', 'info', 'success', 'user_update', 'recommendation', 'snapshot'];
const fields = new Set(['title', 'text', 'alert_type', 'aggregation_key', 'date_happened', 'device_name', 'host', 'priority', 'related_event_id', 'source_type_name', 'tags']);

/** Validates an event the way Datadog does; `nowSeconds` bounds date_happened (no older than 18 hours). */
export function datadogProblems(headers: Record<string, unknown>, json: unknown, nowSeconds: number): string[] {
  const { problems, check } = problemList();
  check(isJson(headers as never), 'content-type must be application/json');
  if (!isObject(json)) return [...problems, 'body must be a JSON object'];
  for (const key of Object.keys(json)) check(fields.has(key), `unknown field "${key}"`);
  check(typeof json.title === 'string' && json.title.length > 0 && json.title.length <= 100, 'title must be 1 to 100 characters');
  check(typeof json.text === 'string' && json.text.length > 0 && json.text.length <= 4000, 'text must be 1 to 4000 characters');
  if (typeof json.text === 'string' && json.text.startsWith('%%%')) check(/^%%% \n[\s\S]*\n %%%$/.test(json.text), 'Markdown text must be wrapped in "%%% \\n" and "\\n %%%"');
  if (json.alert_type !== undefined) check(alertTypes.includes(String(json.alert_type)), `alert_type must be one of ${alertTypes.join(', ')}`);
  if (json.aggregation_key !== undefined) check(typeof json.aggregation_key === 'string' && json.aggregation_key.length <= 100, 'aggregation_key must be at most 100 characters');
  if (json.priority !== undefined) check(json.priority === 'normal' || json.priority === 'low', 'priority must be normal or low');
  if (json.date_happened !== undefined) check(Number.isInteger(json.date_happened) && (json.date_happened as number) > nowSeconds - 18 * 3600 && (json.date_happened as number) <= nowSeconds + 60, 'date_happened must be integer seconds, no older than 18 hours');
  if (json.source_type_name !== undefined) check(typeof json.source_type_name === 'string', 'source_type_name must be a string');
  if (json.tags !== undefined) {
    check(Array.isArray(json.tags), 'tags must be an array');
    if (Array.isArray(json.tags)) json.tags.forEach((t, i) => check(typeof t === 'string' && t.length > 0 && t.length <= 200, `tags[${i}] must be 1 to 200 characters`));
  }
  return problems;
}

/** A local Datadog intake: 403 for a wrong DD-API-KEY, 400 {errors} for an invalid event, 202 {status:"ok", event} otherwise. */
export function datadogReceiver(apiKey: string): HttpReceiver {
  let next = 1;
  return new HttpReceiver(({ method, path, headers, json }) => {
    if (headers['dd-api-key'] !== apiKey) return { problems: ['DD-API-KEY missing or wrong'], answer: { status: 403, contentType: 'application/json', body: JSON.stringify({ errors: ['Forbidden'] }) } };
    const problems = [...(method === 'POST' && path === '/api/v1/events' ? [] : [`${method} ${path} is not POST /api/v1/events`]), ...datadogProblems(headers, json, Math.floor(Date.now() / 1000))];
    if (problems.length) return { problems, answer: { status: 400, contentType: 'application/json', body: JSON.stringify({ errors: problems }) } };
    const event: Record<string, unknown> = { id: next++, ...(json as Record<string, unknown>) };
    return { problems, answer: { status: 202, contentType: 'application/json', body: JSON.stringify({ status: 'ok', event: { id: event.id, title: event.title, date_happened: event.date_happened, url: `/event/event?id=${event.id}` } }) } };
  });
}
