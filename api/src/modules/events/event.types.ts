import type { State } from '../../contract/state.schema.ts';

/**
 * What an event says, by kind. State transitions are written today; alert, incident and
 * notification changes join this map as their modules land, and a consumer that switches on `kind`
 * is told by the compiler when one is added.
 */
export interface EventPayloads {
  /** A slot, monitor or service changed state (the same fact as a state_transitions row). */
  'state.transition': {
    /** 'edge': a dependency edge (subject_id is the dependency's id), from the monitors that name it. */
    subject_type: 'slot' | 'monitor' | 'service' | 'edge';
    subject_id: string;
    region: string | null;
    from: State;
    to: State;
    cause: Record<string, unknown>;
  };
  /** An alert instance changed state (the same fact as an alert_history row). */
  'alert.state_changed': {
    rule_id: string;
    alert_id: string;
    team_id: string;
    severity: string;
    labels: Record<string, string>;
    from: 'inactive' | 'pending' | 'firing' | 'resolved';
    to: 'inactive' | 'pending' | 'firing' | 'resolved';
    reason: string;
    value: number | null;
    /** The one subject the instance is about, when it has one (the correlator places the alert in the dependency graph by it). */
    subject?: { kind: string; id: string } | undefined;
  };
  /** An incident opened, changed (alerts, root cause, state, acknowledgement, note) or resolved. */
  'incident.changed': {
    incident_id: string;
    number: number;
    state: 'investigating' | 'identified' | 'monitoring' | 'resolved';
    change: string;
  };
  /** An alert rule was created or changed: evaluate it now rather than at its turn in the tick. */
  'alert_rule.changed': {
    rule_id: string;
  };
  /** A slot stayed unknown but why changed (no runner, no data, or neither): no_data(…) and unknown(…) read the cause. */
  'slot.cause_changed': {
    monitor_id: string;
    region: string;
    cause: 'no_data' | 'no_runner' | null;
  };
  /** Results carrying health-endpoint metrics were stored for these monitors (one event per ingest batch). */
  'metrics.recorded': {
    monitor_ids: string[];
  };
}

export type EventKind = keyof EventPayloads;

/** An event to append, inside the transaction that makes it true. */
export type NewEvent = { [K in EventKind]: { orgId: string; kind: K; at: Date; payload: EventPayloads[K] } }[EventKind];

/** An event as read back from the log; seq increases in commit order within an organization. */
export type StoredEvent = NewEvent & { seq: number };

/** Every kind, for checks of stored rows. */
export const eventKinds: readonly EventKind[] = ['state.transition', 'alert.state_changed', 'alert_rule.changed', 'metrics.recorded', 'slot.cause_changed', 'incident.changed'];
