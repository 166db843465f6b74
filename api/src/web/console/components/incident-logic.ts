import type { IncidentChange, IncidentDetail, IncidentSummary, IncidentTimelineEntry } from '../../../contract/incident.schema.ts';
import type { Whoami } from '../../../contract/whoami.schema.ts';
import { can } from '../session.ts';

// Pure helpers of the incident views (no DOM, no fetch): ordering, wording, who may act.

/** Open incidents first, each group newest first (by opened_at). */
export function openFirst<T extends Pick<IncidentSummary, 'state' | 'opened_at'>>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => Number(a.state === 'resolved') - Number(b.state === 'resolved') || Date.parse(b.opened_at) - Date.parse(a.opened_at));
}

/** The teams an incident involves (its teams and its owner), as the API checks them. */
export function teamsOf(incident: Pick<IncidentDetail, 'team_id' | 'team_ids'>): string[] {
  return [...new Set([...incident.team_ids, ...(incident.team_id ? [incident.team_id] : [])])];
}

/**
 * Whether the principal may act on the incident (acknowledge, resolve, note, change state): an org
 * admin, or a team editor / team admin of one of its teams — the rule of the incidents API.
 */
export function mayRespond(me: Whoami, incident: Pick<IncidentDetail, 'team_id' | 'team_ids'>): boolean {
  return me.org_admin || teamsOf(incident).some((t) => can(me, t, 'write'));
}

/** The time-range filter's choices and how far back each reaches. */
export const incidentRanges = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000, '90d': 90 * 86_400_000 } as const;
export type IncidentRange = keyof typeof incidentRanges;

/** The API's `from` for a range choice ("24h" → 24 hours before now); undefined for any time or an unknown choice. */
export function rangeFrom(range: string | undefined, now = Date.now()): string | undefined {
  const span = range && Object.hasOwn(incidentRanges, range) ? incidentRanges[range as IncidentRange] : undefined;
  return span === undefined ? undefined : new Date(now - span).toISOString();
}

/** One line of the detail's timeline: an entry of the incident's own timeline or a change event (deploy, config, flag) of its services. */
export type TimelineItem = { at: string; source: 'incident'; entry: IncidentTimelineEntry } | { at: string; source: 'change'; change: IncidentChange };

/** The incident's timeline and the change events around it, in time order (entries of one moment keep their order). */
export function timelineItems(detail: Pick<IncidentDetail, 'timeline' | 'changes'>): TimelineItem[] {
  const items: TimelineItem[] = [
    ...detail.timeline.map((entry): TimelineItem => ({ at: entry.at, source: 'incident', entry })),
    ...detail.changes.map((change): TimelineItem => ({ at: change.at, source: 'change', change })),
  ];
  return items.map((item, index) => ({ item, index })).sort((a, b) => Date.parse(a.item.at) - Date.parse(b.item.at) || a.index - b.index).map((x) => x.item);
}

const labels: Record<string, string> = {
  opened: 'Incident opened',
  alert_added: 'Alert added',
  alert_refired: 'Alert fired again',
  alert_resolved: 'Alert resolved',
  root_cause: 'Root cause changed',
  state: 'State changed',
  resolved: 'Resolved',
  notification_held: 'Notification held',
  notification_released: 'Notification released',
  notice_sent: 'Informational notice sent',
  acknowledged: 'Acknowledged',
  note: 'Note',
  updated: 'Updated',
};

/** What a timeline entry says, for people: its title and the detail its payload carries. */
export function describeEntry(entry: Pick<IncidentTimelineEntry, 'kind' | 'payload'>): { title: string; detail: string } {
  const p = entry.payload as Record<string, unknown>;
  const text = (key: string) => (typeof p[key] === 'string' || typeof p[key] === 'number' ? String(p[key]) : undefined);
  const named = (value: unknown) => (value && typeof value === 'object' && typeof (value as { name?: unknown }).name === 'string' ? (value as { name: string }).name : undefined);
  const parts: string[] = [];
  if (entry.kind === 'note') return { title: p.public === true ? 'Public update (on status pages)' : labels.note!, detail: text('text') ?? '' };
  if (text('from') && text('to')) parts.push(`${text('from')} → ${text('to')}`);
  else if (entry.kind === 'resolved' && text('from')) parts.push(`from ${text('from')}`);
  const cause = named(p.root_cause) ?? named(p.to_node) ?? text('name');
  if (cause) parts.push(cause);
  const rule = text('rule') ?? text('rule_name');
  if (rule) parts.push(`rule ${rule}`);
  if (Array.isArray(p.services) && p.services.length) parts.push(`services ${p.services.map((s) => named(s) ?? String(s)).join(', ')}`);
  for (const key of ['reason', 'why', 'description', 'title']) if (text(key)) parts.push(text(key)!);
  return { title: labels[entry.kind] ?? entry.kind.replace(/_/g, ' '), detail: parts.join(' · ') };
}
