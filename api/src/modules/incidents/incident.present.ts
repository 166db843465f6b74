import { severities } from '../../contract/alerting.schema.ts';
import type { IncidentActor, IncidentAlert, IncidentChange, IncidentDetail, IncidentFigures, IncidentSummary, IncidentTimelineEntry } from '../../contract/incident.schema.ts';
import type { ChangeEventRow, IncidentAlertCounts, IncidentAlertRow, IncidentRow, IncidentTimelineRow } from './incident.repository.ts';

// Pure mapping of stored incident rows to API documents, and the time figures derived from them.

type Severity = IncidentSummary['severity'];
type Time = Date | string;

const ms = (t: Time) => new Date(t).getTime();
const iso = (t: Time) => new Date(t).toISOString();
const isoOrNull = (t: Time | null) => (t === null ? null : iso(t));
const seconds = (delta: number) => Math.round(delta) / 1000;

/** The highest of the given severities (critical > error > warning > info); unknown names rank lowest, none gives `fallback`. */
export function highestSeverity(values: readonly string[], fallback: string): Severity {
  const rank = (s: string) => {
    const i = (severities as readonly string[]).indexOf(s);
    return i === -1 ? severities.length : i;
  };
  const best = [...values, fallback].reduce((a, b) => (rank(b) < rank(a) ? b : a));
  return rank(best) < severities.length ? (best as Severity) : 'info';
}

/** Time to acknowledge (acknowledged_at − opened_at), in seconds; null until acknowledged. */
export function mttaSeconds(row: { opened_at: Time; acknowledged_at: Time | null }): number | null {
  return row.acknowledged_at === null ? null : Math.max(0, seconds(ms(row.acknowledged_at) - ms(row.opened_at)));
}

/** Time to resolve (resolved_at − first_failure_at), in seconds; null until resolved. */
export function mttrSeconds(row: { first_failure_at: Time; resolved_at: Time | null }): number | null {
  return row.resolved_at === null ? null : Math.max(0, seconds(ms(row.resolved_at) - ms(row.first_failure_at)));
}

/** From the first failure to the resolution, or to `now` while open. */
export function durationSeconds(row: { first_failure_at: Time; resolved_at: Time | null }, now: number): number {
  return Math.max(0, seconds((row.resolved_at === null ? now : ms(row.resolved_at)) - ms(row.first_failure_at)));
}

/** Minutes from a change to the first failure, to 0.1 minute (negative: the change came after it). */
export function minutesBeforeFirstFailure(changeAt: Time, firstFailureAt: Time): number {
  return Math.round((ms(firstFailureAt) - ms(changeAt)) / 6_000) / 10;
}

const actorOf = (value: unknown): IncidentActor | null => {
  if (typeof value !== 'object' || value === null) return null;
  const a = value as Record<string, unknown>;
  return { type: String(a.type ?? ''), id: String(a.id ?? ''), name: String(a.name ?? '') };
};

const objects = (value: unknown): Array<Record<string, unknown>> => (Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : []);

/** An incident as lists show it; `counts` are its alerts (absent: none recorded yet). */
export function presentSummary(row: IncidentRow, counts: IncidentAlertCounts | undefined, now: number): IncidentSummary {
  const rootCause = row.root_cause as Record<string, unknown> | null;
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    state: row.state,
    severity: highestSeverity(counts?.severities ?? [], row.severity),
    team_id: row.team_id,
    root_cause: typeof rootCause === 'object' && rootCause !== null ? rootCause : null,
    services_count: row.service_ids.length,
    impacted_count: objects(row.impacted).length,
    alerts_firing: counts?.firing ?? 0,
    alerts_total: counts?.total ?? 0,
    opened_at: iso(row.opened_at),
    first_failure_at: iso(row.first_failure_at),
    acknowledged_at: isoOrNull(row.acknowledged_at),
    resolved_at: isoOrNull(row.resolved_at),
    duration_seconds: durationSeconds(row, now),
    mtta_seconds: mttaSeconds(row),
    mttr_seconds: mttrSeconds(row),
    updated_at: iso(row.updated_at),
    version: row.version,
  };
}

export function presentAlert(a: IncidentAlertRow): IncidentAlert {
  return {
    alert_id: a.alert_id,
    rule_id: a.rule_id,
    rule_name: a.rule_name,
    team_id: a.team_id,
    severity: a.severity,
    subject: a.subject_kind !== null && a.subject_id !== null ? { kind: a.subject_kind, id: a.subject_id } : null,
    labels: a.labels,
    state: a.state,
    firing_since: iso(a.firing_since),
    resolved_at: isoOrNull(a.resolved_at),
    notification: a.notification,
    hold_reason: a.hold_reason,
    hold_until: isoOrNull(a.hold_until),
    released_at: isoOrNull(a.released_at),
  };
}

export function presentEntry(e: IncidentTimelineRow): IncidentTimelineEntry {
  return { id: e.id, at: iso(e.at), kind: e.kind, actor: actorOf(e.actor), payload: (e.payload ?? {}) as IncidentTimelineEntry['payload'] };
}

export function presentChange(c: ChangeEventRow, firstFailureAt: Time): IncidentChange {
  return {
    id: c.id, service_id: c.service_id, team_id: c.team_id, kind: c.kind, version: c.version, actor: c.actor, link: c.link, description: c.description,
    at: iso(c.at), minutes_before_first_failure: minutesBeforeFirstFailure(c.at, firstFailureAt),
  };
}

export interface DetailParts {
  alerts: IncidentAlertRow[];
  timeline: IncidentTimelineRow[];
  timelineTruncated: boolean;
  changes: ChangeEventRow[];
  notifications: Array<{ id: string; channel_id: string; channel_type: string; team_id: string | null; kind: 'firing' | 'resolved'; state: string; alert_ids: string[]; created_at: Time; delivered_at: Time | null }>;
  /** The alert ids (and notice ids) of the incident: a notification lists only these of its alerts. */
  carried: readonly string[];
}

/** An incident with its alerts, timeline and the changes around it; severity is the highest of its alerts. */
export function presentDetail(row: IncidentRow, parts: DetailParts, now: number): IncidentDetail {
  const counts: IncidentAlertCounts = { firing: parts.alerts.filter((a) => a.state === 'firing').length, total: parts.alerts.length, severities: parts.alerts.map((a) => a.severity) };
  return {
    ...presentSummary(row, counts, now),
    candidates: objects(row.candidates),
    impacted: objects(row.impacted),
    evidence: objects(row.evidence),
    service_ids: row.service_ids,
    team_ids: row.team_ids,
    last_alert_at: iso(row.last_alert_at),
    identified_at: isoOrNull(row.identified_at),
    monitoring_since: isoOrNull(row.monitoring_since),
    acknowledged_by: actorOf(row.acknowledged_by),
    resolved_by: actorOf(row.resolved_by),
    auto_resolve: row.auto_resolve,
    alerts: parts.alerts.map(presentAlert),
    timeline: parts.timeline.map(presentEntry),
    timeline_truncated: parts.timelineTruncated,
    changes: parts.changes.map((c) => presentChange(c, row.first_failure_at)),
    notifications: parts.notifications.map((n) => ({
      id: n.id, channel_id: n.channel_id, channel_type: n.channel_type, team_id: n.team_id, kind: n.kind, state: n.state,
      alert_ids: n.alert_ids.filter((id) => parts.carried.includes(id)), created_at: iso(n.created_at), delivered_at: isoOrNull(n.delivered_at),
    })),
  };
}

const mean = (values: number[]) => (values.length === 0 ? null : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 1000) / 1000);

/** Count, resolved, open and the mean MTTA / MTTR (seconds) of a set of incidents (an SLA report's). */
export function incidentFigures(rows: ReadonlyArray<{ opened_at: Time; first_failure_at: Time; acknowledged_at: Time | null; resolved_at: Time | null }>): IncidentFigures {
  const acknowledged = rows.map(mttaSeconds).filter((s): s is number => s !== null);
  const resolved = rows.map(mttrSeconds).filter((s): s is number => s !== null);
  return { count: rows.length, resolved: resolved.length, open: rows.length - resolved.length, mtta_seconds: mean(acknowledged), mttr_seconds: mean(resolved) };
}
