import { createHmac } from 'node:crypto';
import { webhookSecretPattern } from '../../../contract/alerting.schema.ts';
import { postJson, urlSecrets } from './sender-http.ts';
import type { ChannelConfigs, ChannelSender, NotificationMessage } from './sender.types.ts';

/** Version of the webhook body; a change that breaks receivers gets a new number (docs/alerting.md). */
export const webhookBodyVersion = '1';
/** Alerts listed in one body; the rest are counted in truncated_alerts (Standard Webhooks suggests bodies under 20 KB). */
export const webhookMaxAlerts = 50;

const eventTypes = { firing: 'alert.firing', resolved: 'alert.resolved', test: 'notification.test' } as const;

/** The documented JSON body: Standard Webhooks' {type, timestamp, data}. */
export function webhookBody(message: NotificationMessage, nowMs: number): Record<string, unknown> {
  const listed = message.alerts.slice(0, webhookMaxAlerts);
  return {
    type: eventTypes[message.kind],
    timestamp: new Date(nowMs).toISOString(),
    data: {
      version: webhookBodyVersion,
      id: message.id,
      status: message.kind,
      title: message.title,
      text: message.text,
      team: message.team,
      group_key: message.groupKey,
      group_labels: message.groupLabels,
      dedup_key: message.dedupKey,
      console_url: message.consoleUrl,
      alerts: listed.map((a) => ({
        id: a.instanceId,
        rule_id: a.ruleId,
        rule_name: a.ruleName,
        severity: a.severity,
        state: a.state,
        labels: a.labels,
        annotations: a.annotations,
        starts_at: a.startsAt,
        ends_at: a.endsAt,
        value: a.value,
        url: a.url,
      })),
      truncated_alerts: message.alerts.length - listed.length,
    },
  };
}

/** Standard Webhooks' signature header value: v1,<base64 HMAC-SHA256 over "id.timestamp.body"> with the secret's decoded bytes. */
export function webhookSignature(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

const secretFormat = new RegExp(webhookSecretPattern);

/**
 * Generic webhook, signed per Standard Webhooks 1.0 when the channel has a signing secret. The
 * webhook-id is the outbox row id, unchanged across retries, so receivers drop a redelivery.
 */
export const webhookSender: ChannelSender<ChannelConfigs['webhook']> & { type: 'webhook' } = {
  type: 'webhook',
  async send(config, message, ctx) {
    const now = ctx.now();
    const body = JSON.stringify(webhookBody(message, now));
    // The signed string is "id.timestamp.body": neither may contain a dot.
    const id = message.id.replace(/\./g, '_');
    const timestamp = Math.floor(now / 1000);
    const signed: Record<string, string> = { 'webhook-id': id, 'webhook-timestamp': String(timestamp) };
    const secrets = urlSecrets(config.url);
    if (config.signing_secret !== undefined) {
      if (!secretFormat.test(config.signing_secret)) {
        return { ok: false, retryable: false, error: 'The channel\'s signing_secret is not a Standard Webhooks secret ("whsec_" + base64 of 24 to 64 bytes); set a new one on the channel.' };
      }
      signed['webhook-signature'] = webhookSignature(config.signing_secret, id, timestamp, body);
      secrets.push(config.signing_secret);
    }
    // Configured headers cannot replace the signature headers or the content type.
    const extra = Object.fromEntries(Object.entries(config.headers ?? {}).filter(([name]) => !/^(webhook-(id|timestamp|signature)|content-type)$/i.test(name)));
    return postJson({ url: config.url, headers: { ...extra, ...signed }, body, secrets: [...secrets, ...Object.values(extra)] }, ctx);
  },
};
