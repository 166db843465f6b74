import type { LiveEvent } from '../../contract/live.schema.ts';
import type { StoredEvent } from '../events/event.types.ts';

/** The event-log kinds the live stream reads (the repository reads only these). */
export const liveKinds = ['state.transition', 'alert.state_changed', 'incident.changed'] as const;

/** Who a live event is about, for the scope check: the subject whose owning team decides. */
export type LiveSubject =
  | { kind: 'monitor' | 'service' | 'edge' | 'incident'; id: string }
  | { kind: 'team'; id: string };

/** A log event as the stream sends it, with its seq, the subject it is about and its coalescing key. */
export interface LiveItem {
  seq: number;
  subject: LiveSubject;
  /** Changes with the same key within a flush window are one: the latest is sent. */
  key: string;
  event: Exclude<LiveEvent, { type: 'reset' }>;
}

/** The live form of a log event; undefined for what the stream does not send (slot transitions, other kinds). */
export function toLiveItem(e: StoredEvent): LiveItem | undefined {
  const at = e.at.toISOString();
  switch (e.kind) {
    case 'state.transition': {
      const p = e.payload;
      if (p.subject_type === 'slot') return undefined;
      return {
        seq: e.seq,
        subject: { kind: p.subject_type, id: p.subject_id },
        key: `state:${p.subject_type}:${p.subject_id}:${p.region ?? ''}`,
        event: { type: 'state', subject_type: p.subject_type, subject_id: p.subject_id, region: p.region, from: p.from, to: p.to, at },
      };
    }
    case 'alert.state_changed': {
      const p = e.payload;
      return {
        seq: e.seq,
        subject: { kind: 'team', id: p.team_id },
        key: `alert:${p.alert_id}`,
        event: { type: 'alert', alert_id: p.alert_id, rule_id: p.rule_id, team_id: p.team_id, from: p.from, to: p.to, at },
      };
    }
    case 'incident.changed': {
      const p = e.payload;
      // 'due' wakes the correlator when a held page falls due; the incident itself did not change.
      if (p.change === 'due') return undefined;
      return {
        seq: e.seq,
        subject: { kind: 'incident', id: p.incident_id },
        key: `incident:${p.incident_id}`,
        event: { type: 'incident', incident_id: p.incident_id, number: p.number, state: p.state, change: p.change, at },
      };
    }
    default:
      return undefined;
  }
}

/**
 * Keeps the latest change per key, in the order of those latest changes (seq order): what a page
 * needs to show the present, not every step on the way.
 */
export function coalesce(items: readonly LiveItem[]): LiveItem[] {
  const latest = new Map<string, LiveItem>();
  for (const item of items) {
    const held = latest.get(item.key);
    if (!held || held.seq < item.seq) latest.set(item.key, item);
  }
  return [...latest.values()].sort((a, b) => a.seq - b.seq);
}

/** One server-sent event: optional event name and id, data split on line breaks (SSE forbids them in a field). */
export function sseMessage(message: { event?: string; id?: string | number; data: string }): string {
  let out = '';
  if (message.event) out += `event: ${message.event}\n`;
  if (message.id !== undefined) out += `id: ${message.id}\n`;
  for (const line of message.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}
