import { createHash } from 'node:crypto';
import { firstLabel, firing, subject, worstSeverity } from './message-facts.ts';
import { truncate } from './send-outcome.ts';
import { postJson } from './sender-http.ts';
import type { ChannelConfigs, ChannelSender, NotificationMessage, SendContext, SendOutcome } from './sender.types.ts';

/** PagerDuty Events API v2 limits (developer.pagerduty.com, events-API-v2). */
export const pagerdutyLimits = { summary: 1024, dedupKey: 255, source: 255, detailsAlerts: 50, payloadBytes: 512 * 1024 } as const;
export const defaultPagerdutyUrl = 'https://events.pagerduty.com';

/** The dedup key PagerDuty gets: the message's own when it fits, else a digest of it (stable, so resolve still pairs). */
export function pagerdutyDedupKey(key: string): string {
  return key.length <= pagerdutyLimits.dedupKey ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

const alertDetails = (a: NotificationMessage['alerts'][number]) => ({
  rule: a.ruleName, severity: a.severity, state: a.state, value: a.value, labels: a.labels, starts_at: a.startsAt, ...(a.endsAt ? { ends_at: a.endsAt } : {}), ...(a.url ? { url: a.url } : {}),
});

/** The Events v2 body: a trigger with payload and links, or a resolve carrying only the key. */
export function pagerdutyEvent(config: ChannelConfigs['pagerduty'], message: NotificationMessage, action: 'trigger' | 'resolve'): Record<string, unknown> {
  const base = { routing_key: config.routing_key, event_action: action, dedup_key: pagerdutyDedupKey(message.dedupKey) };
  if (action === 'resolve') return base;
  const listed = message.alerts.slice(0, pagerdutyLimits.detailsAlerts);
  const runbook = message.alerts.find((a) => a.annotations.runbook_url)?.annotations.runbook_url;
  const links = [
    ...(message.consoleUrl ? [{ href: message.consoleUrl, text: 'Open in Pharos' }] : []),
    ...listed.filter((a) => a.url).slice(0, 5).map((a) => ({ href: a.url!, text: `Alert: ${truncate(a.ruleName, 100)}` })),
    ...(runbook ? [{ href: runbook, text: 'Runbook' }] : []),
  ];
  return {
    ...base,
    payload: {
      summary: subject(message, pagerdutyLimits.summary),
      source: truncate(firstLabel(message, 'service') ?? firstLabel(message, 'monitor') ?? `pharos/${message.team}`, pagerdutyLimits.source),
      severity: message.kind === 'test' ? 'info' : worstSeverity(message),
      timestamp: message.alerts[0]?.startsAt ?? new Date().toISOString(),
      ...(firstLabel(message, 'monitor') ? { component: firstLabel(message, 'monitor') } : firstLabel(message, 'service') ? { component: firstLabel(message, 'service') } : {}),
      group: message.team,
      class: message.alerts[0]?.ruleName ?? message.kind,
      custom_details: {
        text: message.text,
        group: message.groupLabels,
        firing: firing(message).length,
        alerts: listed.map(alertDetails),
        ...(message.alerts.length > listed.length ? { more_alerts: message.alerts.length - listed.length } : {}),
      },
    },
    links,
    client: 'Pharos',
    ...(message.consoleUrl ? { client_url: message.consoleUrl } : {}),
  };
}

const enqueueUrl = (config: ChannelConfigs['pagerduty']) => `${(config.api_url ?? defaultPagerdutyUrl).replace(/\/+$/, '')}/v2/enqueue`;

function enqueue(config: ChannelConfigs['pagerduty'], event: Record<string, unknown>, ctx: SendContext): Promise<SendOutcome> {
  let body = JSON.stringify(event);
  // A huge group must not make PagerDuty refuse the page: drop the per-alert details, keep the count.
  if (Buffer.byteLength(body) > pagerdutyLimits.payloadBytes - 1024) {
    const payload = event.payload as { custom_details: Record<string, unknown> };
    body = JSON.stringify({ ...event, payload: { ...payload, custom_details: { ...payload.custom_details, alerts: [], text: truncate(String(payload.custom_details.text), 4000) } } });
  }
  return postJson({ url: enqueueUrl(config), headers: {}, body, secrets: [config.routing_key] }, ctx);
}

/**
 * PagerDuty Events API v2: a firing group triggers, a resolved one resolves, both with the group's
 * dedup_key, so a retry after a lost answer does not open a second incident. A test triggers and at
 * once resolves its own key, so it leaves no open incident behind.
 */
export const pagerdutySender: ChannelSender<ChannelConfigs['pagerduty']> & { type: 'pagerduty' } = {
  type: 'pagerduty',
  async send(config, message, ctx) {
    if (message.kind === 'resolved') return enqueue(config, pagerdutyEvent(config, message, 'resolve'), ctx);
    const triggered = await enqueue(config, pagerdutyEvent(config, message, 'trigger'), ctx);
    if (message.kind !== 'test' || !triggered.ok) return triggered;
    const resolved = await enqueue(config, pagerdutyEvent(config, message, 'resolve'), ctx);
    return resolved.ok ? { ...triggered, detail: `${triggered.detail} (test incident resolved)` } : { ...resolved, error: `triggered, but the resolve failed: ${resolved.error}` };
  },
};
