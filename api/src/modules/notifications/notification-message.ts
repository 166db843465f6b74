import { formatValue, renderMessage } from '../../contract/message-template.ts';
import type { NotificationGroupAlertRow, NotificationGroupRow } from './notification.repository.ts';
import type { NotificationAlert, NotificationMessage } from './senders/sender.types.ts';

// What a group flush says, as the senders receive it (stored in the outbox row, without secrets).

const severities = ['critical', 'error', 'warning', 'info'] as const;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** What an alert is about, for titles: its monitor (with its service), else its service, else its rule. */
function subjectOf(labels: Record<string, string>): string {
  if (labels.monitor) return labels.service ? `${labels.service} / ${labels.monitor}` : labels.monitor;
  return labels.service ?? labels.alertname ?? 'alert';
}

/** One alert's line: the rule's message template rendered, or a plain sentence. */
export function alertText(a: NotificationAlert): string {
  const template = a.annotations.message;
  const vars = { labels: a.labels, value: a.value, runbook_url: a.annotations.runbook_url ?? null, severity: a.severity, alertname: a.ruleName, state: a.state, starts_at: a.startsAt };
  if (template) return renderMessage(template, vars);
  const value = a.value === null ? '' : ` (value ${formatValue(a.value)})`;
  return a.state === 'firing' ? `${a.ruleName} is firing for ${subjectOf(a.labels)}${value} since ${a.startsAt}.` : `${a.ruleName} resolved for ${subjectOf(a.labels)} at ${a.endsAt ?? a.startsAt}.`;
}

function alertOf(row: NotificationGroupAlertRow, publicUrl: string | undefined): NotificationAlert {
  const severity = (severities as readonly string[]).includes(row.severity) ? (row.severity as NotificationAlert['severity']) : 'error';
  return {
    instanceId: row.instance_id, ruleId: row.rule_id, ruleName: row.rule_name, severity, state: row.state,
    labels: row.labels, annotations: row.annotations, startsAt: iso(row.starts_at)!, endsAt: row.state === 'resolved' ? iso(row.ends_at) : null,
    value: row.value, url: publicUrl ? `${publicUrl}/v1/alerts/${row.instance_id}` : null,
  };
}

/**
 * The message of one flush of a group: its firing alerts (and those resolved since the last
 * notification) with a title naming the rule and the subject, or the count when several alerts
 * make the group. `id` is the outbox row's id and `dedupKey` the group × channel key, both stable
 * across retries.
 */
export function groupMessage(input: {
  id: string;
  dedupKey: string;
  group: NotificationGroupRow;
  kind: 'firing' | 'resolved';
  firing: readonly NotificationGroupAlertRow[];
  resolved: readonly NotificationGroupAlertRow[];
  publicUrl: string | undefined;
}): NotificationMessage {
  const alerts = [...input.firing, ...input.resolved].map((r) => alertOf(r, input.publicUrl));
  const first = alerts[0];
  const listed = input.kind === 'firing' ? input.firing.length : input.resolved.length;
  const rules = [...new Set(alerts.map((a) => a.ruleName))];
  const subjects = [...new Set(alerts.map((a) => subjectOf(a.labels)))];
  const title = alerts.length === 1 && first ? `${first.ruleName}: ${subjectOf(first.labels)}` : `${rules.length === 1 ? rules[0] : `${rules.length} rules`}: ${listed} ${input.kind === 'firing' ? 'firing' : 'resolved'} (${subjects.slice(0, 3).join(', ')}${subjects.length > 3 ? ', …' : ''})`;
  return {
    kind: input.kind,
    id: input.id,
    dedupKey: input.dedupKey,
    groupKey: input.group.route_key,
    groupLabels: input.group.group_labels,
    team: input.group.team_name,
    title,
    text: alerts.map(alertText).join('\n'),
    alerts,
    consoleUrl: input.publicUrl ? `${input.publicUrl}/v1/alerts?state=firing&team_id=${encodeURIComponent(input.group.team_id ?? '')}` : null,
  };
}
