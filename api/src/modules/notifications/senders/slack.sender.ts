import { formatValue } from '../../../contract/message-template.ts';
import { firstLabel, firing, kindWord, labelPairs, oneLine, runbookUrl, worstSeverity } from './message-facts.ts';
import { truncate } from './send-outcome.ts';
import { postJson, urlSecrets } from './sender-http.ts';
import type { ChannelConfigs, ChannelSender, NotificationMessage } from './sender.types.ts';

/** Slack's documented Block Kit limits (docs.slack.dev/reference/block-kit). */
export const slackLimits = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  contextElements: 10,
  /** Slack truncates `text` past 40,000; the fallback is a notification preview, so keep it short. */
  fallbackText: 3000,
  /** Alerts listed one section each; the rest are counted. Keeps the whole message well under the ~13k characters Slack refuses as msg_blocks_too_long. */
  listedAlerts: 10,
  alertSection: 600,
} as const;

/** Slack mrkdwn needs &, < and > escaped; everything else is literal. */
export const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const link = (url: string, label: string) => `<${url.replace(/[<>|]/g, encodeURIComponent)}|${slackEscape(label)}>`;

const icons = { firing: ':rotating_light:', resolved: ':white_check_mark:', test: ':test_tube:' } as const;

type Block = Record<string, unknown>;
const mrkdwn = (text: string, max: number) => ({ type: 'mrkdwn', text: truncate(text, max) });

function alertSection(alert: NotificationMessage['alerts'][number]): Block {
  const parts = [`*${slackEscape(alert.ruleName)}* (${alert.severity}, ${alert.state})`];
  const value = formatValue(alert.value);
  if (value) parts.push(`value ${value}`);
  const links = [alert.url ? link(alert.url, 'View alert') : null, alert.annotations.runbook_url ? link(alert.annotations.runbook_url, 'Runbook') : null].filter(Boolean);
  if (links.length) parts.push(links.join(' · '));
  const labels = labelPairs(alert.labels).join(', ');
  if (labels) parts.push(`\`${slackEscape(labels)}\``);
  return { type: 'section', text: mrkdwn(parts.join('\n'), slackLimits.alertSection) };
}

/** The Block Kit message of a notification: header, text, facts, one section per alert, context. */
export function slackPayload(config: ChannelConfigs['slack'], message: NotificationMessage): Record<string, unknown> {
  const severity = message.kind === 'test' ? 'info' : worstSeverity(message);
  const service = firstLabel(message, 'service');
  const runbook = runbookUrl(message);
  const header = `${icons[message.kind]} [${kindWord(message)}] ${message.title}`;
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: oneLine(header, slackLimits.headerText), emoji: true } }];
  if (message.text.trim()) blocks.push({ type: 'section', text: mrkdwn(slackEscape(message.text), slackLimits.sectionText) });
  const facts = [
    `*Severity*\n${severity}`,
    `*Team*\n${slackEscape(message.team)}`,
    ...(service ? [`*Service*\n${slackEscape(service)}`] : []),
    ...(message.kind !== 'test' ? [`*Alerts*\n${firing(message).length} firing, ${message.alerts.length - firing(message).length} resolved`] : []),
    ...(runbook ? [`*Runbook*\n${link(runbook, 'Open runbook')}`] : []),
  ];
  blocks.push({ type: 'section', fields: facts.slice(0, slackLimits.fields).map((f) => mrkdwn(f, slackLimits.fieldText)) });
  const listed = message.alerts.slice(0, slackLimits.listedAlerts);
  if (listed.length) blocks.push({ type: 'divider' }, ...listed.map(alertSection));
  const more = message.alerts.length - listed.length;
  const context = [
    ...(more > 0 ? [`and ${more} more alert${more === 1 ? '' : 's'}`] : []),
    ...(message.consoleUrl ? [link(message.consoleUrl, 'Open in Pharos')] : []),
    `group ${slackEscape(oneLine(labelPairs(message.groupLabels).join(', ') || message.groupKey, 200))}`,
  ];
  blocks.push({ type: 'context', elements: context.slice(0, slackLimits.contextElements).map((c) => mrkdwn(c, 2000)) });
  const fallback = `[${kindWord(message)}] ${message.title}${message.text ? ` — ${message.text}` : ''}`;
  return {
    text: truncate(fallback, slackLimits.fallbackText),
    blocks: blocks.slice(0, slackLimits.blocks),
    ...(config.channel ? { channel: config.channel } : {}),
    ...(config.username ? { username: config.username } : {}),
  };
}

/** Slack incoming webhooks: the webhook URL is the secret. Slack answers 200 "ok" or 4xx with a reason ("invalid_payload", "channel_not_found"). */
export const slackSender: ChannelSender<ChannelConfigs['slack']> & { type: 'slack' } = {
  type: 'slack',
  send: (config, message, ctx) =>
    postJson({ url: config.webhook_url, headers: {}, body: JSON.stringify(slackPayload(config, message)), secrets: urlSecrets(config.webhook_url) }, ctx),
};
