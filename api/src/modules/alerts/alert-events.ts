import type { Db } from '../../db/database.ts';
import type { EventLogRepository } from '../events/event-log.repository.ts';
import type { NewEvent } from '../events/event.types.ts';
import type { AlertInstanceRow } from './alert-instance.repository.ts';
import type { AlertEventSink, AlertStateChange } from './alert-evaluation.service.ts';

/** An alert state change as an event of the log (what routing consumes). */
export function alertEventOf(c: AlertStateChange): NewEvent {
  return {
    orgId: c.orgId, kind: 'alert.state_changed', at: c.at,
    payload: { rule_id: c.ruleId, alert_id: c.instanceId, team_id: c.teamId, severity: c.severity, labels: c.labels, from: c.from, to: c.to, reason: c.reason, value: c.value, ...(c.subject ? { subject: c.subject } : {}) },
  };
}

/** A sink that appends alert state changes to the event log in the caller's transaction. */
export const eventLogSink = (log: EventLogRepository): AlertEventSink => (trx: Db, changes) => log.append(trx, changes.map(alertEventOf));

/**
 * The changes that end a deleted rule's alerts: firing ones resolve, pending ones return to
 * inactive (reason rule_deleted), so every alert that fired gets its resolution in the log even
 * though its rows go with the rule.
 */
export function endedByDeletion(rows: readonly AlertInstanceRow[], now: Date): AlertStateChange[] {
  return rows
    .filter((r) => r.state === 'firing' || r.state === 'pending')
    .map((r) => ({
      orgId: r.org_id, ruleId: r.rule_id, instanceId: r.id, teamId: r.team_id, severity: r.severity, labels: r.labels as Record<string, string>,
      from: r.state, to: r.state === 'firing' ? ('resolved' as const) : ('inactive' as const), at: now, reason: 'rule_deleted' as const, value: null,
      ...(r.subject_kind && r.subject_id ? { subject: { kind: r.subject_kind, id: r.subject_id } } : {}),
    }));
}
