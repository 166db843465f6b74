import { truncate } from './send-outcome.ts';
import type { NotificationAlert, NotificationMessage } from './sender.types.ts';

const severityRank = { critical: 0, error: 1, warning: 2, info: 3 } as const;
export type Severity = NotificationAlert['severity'];

/** The most severe severity among the message's alerts (info for a test or an empty group). */
export function worstSeverity(message: NotificationMessage): Severity {
  let worst: Severity = 'info';
  for (const a of message.alerts) if (severityRank[a.severity] < severityRank[worst]) worst = a.severity;
  return worst;
}

/** "FIRING", "RESOLVED" or "TEST", as a subject or header starts. */
export const kindWord = (message: NotificationMessage) => message.kind.toUpperCase();

/** The first value of a label over the group (group labels first), or null. */
export function firstLabel(message: NotificationMessage, name: string): string | null {
  if (message.groupLabels[name]) return message.groupLabels[name]!;
  for (const a of message.alerts) if (a.labels[name]) return a.labels[name]!;
  return null;
}

/** The runbook of the group's first alert that has one. */
export function runbookUrl(message: NotificationMessage): string | null {
  for (const a of message.alerts) if (a.annotations.runbook_url) return a.annotations.runbook_url;
  return null;
}

/** Firing alerts of the group. */
export const firing = (message: NotificationMessage) => message.alerts.filter((a) => a.state === 'firing');

/** A one-line title: no line breaks, at most `max` characters. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ').trim();
  return truncate(flat, max);
}

/** `[FIRING] title`, the subject line every channel uses. */
export const subject = (message: NotificationMessage, max: number) => oneLine(`[${kindWord(message)}] ${message.title}`, max);

/** Labels as "key=value" pairs, sorted, for plain text. */
export const labelPairs = (labels: Record<string, string>) => Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`);
