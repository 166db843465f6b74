import { createHash } from 'node:crypto';
import { formatValue } from '../../../contract/message-template.ts';
import { labelPairs, runbookUrl, subject, worstSeverity } from './message-facts.ts';
import { truncate } from './send-outcome.ts';
import { postJson } from './sender-http.ts';
import type { ChannelConfigs, ChannelSender, NotificationMessage } from './sender.types.ts';

/**
 * Datadog Events API v1 limits (docs.datadoghq.com/api/latest/events/post-an-event). Sites:
 * api.datadoghq.com (US1, the default), api.us3.datadoghq.com, api.us5.datadoghq.com,
 * api.datadoghq.eu, api.ap1.datadoghq.com, api.ap2.datadoghq.com, api.ddog-gov.com, api.us2.ddog-gov.com.
 */
export const datadogLimits = { title: 100, text: 4000, aggregationKey: 100, tag: 200, tags: 100 } as const;
export const defaultDatadogUrl = 'https://api.datadoghq.com';

const alertTypes = { critical: 'error', error: 'error', warning: 'warning', info: 'info' } as const;

/** Datadog's alert_type: the worst severity while firing, success once resolved, info for a test. */
export function datadogAlertType(message: NotificationMessage): 'error' | 'warning' | 'info' | 'success' {
  if (message.kind === 'resolved') return 'success';
  if (message.kind === 'test') return 'info';
  return alertTypes[worstSeverity(message)];
}

/** Fits the group's key in the 100 characters Datadog keeps, stably (the same group aggregates its firing and resolved events). */
export function datadogAggregationKey(key: string): string {
  return key.length <= datadogLimits.aggregationKey ? key : createHash('sha256').update(key).digest('hex');
}

/** Datadog tags are lower-case "key:value" of at most 200 characters. */
const tag = (key: string, value: string) => truncate(`${key}:${value}`.toLowerCase().replace(/[\s,]+/g, '_'), datadogLimits.tag);

function markdown(message: NotificationMessage): string {
  const lines = [message.text.trim(), ''];
  const runbook = runbookUrl(message);
  if (runbook) lines.push(`[Runbook](${runbook})`);
  if (message.consoleUrl) lines.push(`[Open in Pharos](${message.consoleUrl})`);
  for (const a of message.alerts.slice(0, 20)) {
    const value = formatValue(a.value);
    lines.push(`- **${a.ruleName}** ${a.state} (${a.severity})${value ? `, value ${value}` : ''}${a.url ? ` [view](${a.url})` : ''}: ${labelPairs(a.labels).join(', ')}`);
  }
  if (message.alerts.length > 20) lines.push(`- and ${message.alerts.length - 20} more`);
  return lines.join('\n');
}

/** The event body. Markdown is wrapped in %%% fences; the whole text, fences included, stays within 4000 characters. */
export function datadogEvent(config: ChannelConfigs['datadog'], message: NotificationMessage, nowMs: number): Record<string, unknown> {
  const open = '%%% \n';
  const close = '\n %%%';
  const text = open + truncate(markdown(message), datadogLimits.text - open.length - close.length) + close;
  const labels: Record<string, string> = { ...(message.alerts[0]?.labels ?? {}), ...message.groupLabels };
  const tags = [...new Set([...(config.tags ?? []), 'source:pharos', tag('team', message.team), ...Object.keys(labels).sort().map((k) => tag(k, labels[k]!))])].slice(0, datadogLimits.tags);
  return {
    title: subject(message, datadogLimits.title),
    text,
    alert_type: datadogAlertType(message),
    aggregation_key: datadogAggregationKey(message.dedupKey),
    source_type_name: 'my_apps',
    priority: message.kind === 'test' ? 'low' : 'normal',
    date_happened: Math.floor(nowMs / 1000),
    tags,
  };
}

/** Datadog Events API v1 with the DD-API-KEY header; Datadog answers 202 with the event, 403 for a bad key. */
export const datadogSender: ChannelSender<ChannelConfigs['datadog']> & { type: 'datadog' } = {
  type: 'datadog',
  send: (config, message, ctx) =>
    postJson({
      url: `${(config.api_url ?? defaultDatadogUrl).replace(/\/+$/, '')}/api/v1/events`,
      headers: { 'dd-api-key': config.api_key },
      body: JSON.stringify(datadogEvent(config, message, ctx.now())),
      secrets: [config.api_key],
    }, ctx),
};
