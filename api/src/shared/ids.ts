import { monotonicFactory } from 'ulid';

// Monotonic within the process: ids made in the same millisecond still sort in the order they were
// made, so rows written together (an incident's timeline entries of one change) read back in order.
const ulid = monotonicFactory();

/** Type prefixes of opaque ids; the prefix tells a reader what an id points at. */
export const idPrefixes = {
  organization: 'org',
  team: 'team',
  user: 'usr',
  membership: 'mem',
  api_token: 'tok',
  runner_token: 'rtk',
  service: 'svc',
  dependency: 'dep',
  monitor: 'mon',
  alert_rule: 'rule',
  routing_policy: 'pol',
  channel: 'chn',
  maintenance_window: 'mw',
  slo: 'slo',
  status_page: 'stp',
  audit_entry: 'aud',
  runner: 'run',
  transition: 'trn',
  confirmation: 'cnf',
  request: 'req',
  alert: 'alt',
  alert_history: 'ahi',
  silence: 'sil',
  notification: 'ntf',
  notification_group: 'ngr',
  notification_attempt: 'nta',
  incident: 'inc',
  incident_timeline: 'itl',
  change_event: 'chg',
  load_test: 'lt',
} as const;

export type IdKind = keyof typeof idPrefixes;

/** A new time-sortable id with the prefix of its kind. */
export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${ulid()}`;
}
