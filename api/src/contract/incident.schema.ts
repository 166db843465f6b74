import { Type, type Static } from '@sinclair/typebox';
import { severities } from './alerting.schema.ts';
import { ClosedMap, Id, labelKey, StringEnum, Timestamp } from './common.schema.ts';

export const incidentStates = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
/** Values of the list's state filter: a state, or open (any state but resolved). */
export const incidentStateFilters = [...incidentStates, 'open'] as const;

export const INCIDENT_NOTE_MAX = 4000;
export const INCIDENT_TITLE_MAX = 200;

/** Who did something to an incident: an API token or a signed-in user. */
export const IncidentActor = Type.Object({
  type: Type.String({ description: 'api_token or user.' }),
  id: Type.String(),
  name: Type.String(),
});

/** A node the correlator names (root cause, candidate, impact); its fields are the correlator's (docs/incidents.md). */
const IncidentNode = Type.Object(
  {
    node: Type.Optional(Type.String({ description: 'service:<id> or edge:<dependency id>.' })),
    kind: Type.Optional(Type.String({ description: 'service or edge.' })),
    id: Type.Optional(Type.String()),
    name: Type.Optional(Type.String({ description: 'The service\'s name, or "from → to" for an edge.' })),
    team_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: true, description: 'As the correlator recorded it.' },
);

const Durations = {
  duration_seconds: Type.Number({ description: 'From the first failure to the resolution, or to now while open.' }),
  mtta_seconds: Type.Union([Type.Number(), Type.Null()], { description: 'Time to acknowledge: acknowledged_at − opened_at; null until acknowledged.' }),
  mttr_seconds: Type.Union([Type.Number(), Type.Null()], { description: 'Time to resolve: resolved_at − first_failure_at; null until resolved.' }),
};

/** An incident as lists show it. */
export const IncidentSummary = Type.Object({
  id: Id,
  number: Type.Integer({ minimum: 1, description: '1, 2, 3… within the organization; GET /v1/incidents/{number} finds it too.' }),
  title: Type.String(),
  state: StringEnum(incidentStates),
  severity: StringEnum(severities, { description: 'The highest severity of its alerts (critical > error > warning > info).' }),
  team_id: Type.Union([Id, Type.Null()], { description: 'The owner: the root cause\'s team (until one is named: the first alert\'s team).' }),
  root_cause: Type.Union([IncidentNode, Type.Null()], { description: 'The probable root cause; null until one is named.' }),
  services_count: Type.Integer({ description: 'Services involved (service_ids).' }),
  impacted_count: Type.Integer({ description: 'Nodes impacted by the root cause (impacted).' }),
  alerts_firing: Type.Integer({ description: 'Its alerts firing now.' }),
  alerts_total: Type.Integer({ description: 'Its alerts, firing or resolved.' }),
  opened_at: Timestamp,
  first_failure_at: Timestamp,
  acknowledged_at: Type.Union([Timestamp, Type.Null()]),
  resolved_at: Type.Union([Timestamp, Type.Null()]),
  ...Durations,
  updated_at: Timestamp,
  version: Type.Integer({ minimum: 1, description: 'Incremented on every change; the ETag is derived from it.' }),
});

export const IncidentAlert = Type.Object({
  alert_id: Type.String(),
  rule_id: Type.String(),
  rule_name: Type.String(),
  team_id: Type.String(),
  severity: Type.String(),
  subject: Type.Union([Type.Object({ kind: Type.String(), id: Type.String() }), Type.Null()], { description: 'The service or edge the alert is about.' }),
  labels: ClosedMap(labelKey, Type.String(), { maxProperties: 200, description: 'The alert\'s labels.' }),
  state: StringEnum(['firing', 'resolved'] as const),
  firing_since: Timestamp,
  resolved_at: Type.Union([Timestamp, Type.Null()]),
  notification: StringEnum(['sent', 'held', 'released'] as const, { description: 'sent: routed as usual; held: recorded, not sent, while the root cause pages; released: sent after the hold ended.' }),
  hold_reason: Type.Union([Type.String(), Type.Null()]),
  hold_until: Type.Union([Timestamp, Type.Null()]),
  released_at: Type.Union([Timestamp, Type.Null()]),
});

export const IncidentTimelineEntry = Type.Object({
  id: Type.String(),
  at: Timestamp,
  kind: Type.String({ description: 'opened, alert_added, alert_refired, alert_resolved, root_cause, state, resolved, notification_held, notification_released, notice_sent (written by the correlator); acknowledged, resolved, note, state, updated (written by people through the API).' }),
  actor: Type.Union([IncidentActor, Type.Null()], { description: 'Who did it; null for the correlator.' }),
  payload: Type.Object({ text: Type.Optional(Type.String()), public: Type.Optional(Type.Boolean({ description: 'A note: true when it is a public update shown on status pages.' })) }, { additionalProperties: true, description: 'What changed; a note has its text and whether it is public.' }),
});

export const IncidentChange = Type.Object({
  id: Type.String(),
  service_id: Type.String(),
  team_id: Type.String(),
  kind: Type.String({ description: 'deploy, config or feature_flag.' }),
  version: Type.Union([Type.String(), Type.Null()]),
  actor: Type.Union([Type.String(), Type.Null()]),
  link: Type.Union([Type.String(), Type.Null()]),
  description: Type.Union([Type.String(), Type.Null()]),
  at: Timestamp,
  minutes_before_first_failure: Type.Number({ description: 'How long before the first failure it happened (negative: after it), to 0.1 minute.' }),
});

/** A notification the incident's alerts went out in (one per flush of a notification group and channel). */
export const IncidentNotification = Type.Object({
  id: Type.String({ description: 'GET /v1/notifications/{id} has its attempts.' }),
  channel_id: Type.String(),
  channel_type: Type.String(),
  team_id: Type.Union([Type.String(), Type.Null()]),
  kind: StringEnum(['firing', 'resolved'] as const),
  state: Type.String({ description: 'pending, sending, delivered, dead or suppressed (a silence or maintenance window).' }),
  alert_ids: Type.Array(Type.String(), { description: 'The incident\'s alerts (and informational notices, notice:…) it carried.' }),
  created_at: Timestamp,
  delivered_at: Type.Union([Timestamp, Type.Null()]),
});

/** An incident with everything known about it. */
export const IncidentDetail = Type.Object({
  ...IncidentSummary.properties,
  candidates: Type.Array(IncidentNode, { description: 'Root cause candidates, ranked, with why.' }),
  impacted: Type.Array(IncidentNode, { description: 'Services and edges impacted (degraded latency is an impact, never a root cause).' }),
  evidence: Type.Array(Type.Object({ monitor_id: Type.Optional(Type.String()), region: Type.Optional(Type.String()) }, { additionalProperties: true }), { description: 'Monitors, regions, first failure time, error codes, trace ids.' }),
  service_ids: Type.Array(Type.String()),
  team_ids: Type.Array(Type.String()),
  last_alert_at: Timestamp,
  identified_at: Type.Union([Timestamp, Type.Null()]),
  monitoring_since: Type.Union([Timestamp, Type.Null()]),
  acknowledged_by: Type.Union([IncidentActor, Type.Null()]),
  resolved_by: Type.Union([IncidentActor, Type.Null()], { description: 'Who resolved it; null when it resolved itself.' }),
  auto_resolve: Type.Boolean({ description: 'Whether it resolves itself once all its alerts resolved (and the organization\'s settings allow it).' }),
  alerts: Type.Array(IncidentAlert, { description: 'Its alerts, in the order they fired.' }),
  timeline: Type.Array(IncidentTimelineEntry, { description: 'Every change, oldest first (at most 1,000 entries; timeline_truncated says when there were more).' }),
  timeline_truncated: Type.Boolean(),
  changes: Type.Array(IncidentChange, { description: 'Deploys, config changes and feature-flag flips of its services from 60 minutes before the first failure to the resolution (or now), oldest first.' }),
  notifications: Type.Array(IncidentNotification, { description: 'Notifications sent for its alerts, oldest first (at most 200); held alerts are in none (see alerts[].notification and the notification_held timeline entries).' }),
});

const StateFilter = StringEnum(incidentStateFilters, { description: 'open: any state but resolved.' });

export const IncidentListQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([StateFilter, Type.Array(StateFilter, { maxItems: 5 })], { description: 'investigating, identified, monitoring, resolved or open (not resolved); repeat for several.' })),
    team_id: Type.Optional(Id),
    service_id: Type.Optional(Id),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200, description: 'next_cursor of the previous page.' })),
  },
  { additionalProperties: false },
);

export const IncidentPatch = Type.Object(
  {
    state: Type.Optional(StringEnum(incidentStates, { description: 'investigating, identified, monitoring or resolved; a resolved incident stays resolved.' })),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: INCIDENT_TITLE_MAX, pattern: '^[^\\r\\n\\u0000]*\\S[^\\r\\n\\u0000]*$', errorMessage: `Must be 1 to ${INCIDENT_TITLE_MAX} characters on one line, not only spaces.` })),
    auto_resolve: Type.Optional(Type.Boolean({ description: 'false: the incident never resolves itself; resolve it with POST …/resolve.' })),
  },
  { additionalProperties: false, minProperties: 1, description: 'Send at least one of state, title, auto_resolve.' },
);

export const IncidentNoteInput = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: INCIDENT_NOTE_MAX, pattern: '\\S', description: `The note, 1 to ${INCIDENT_NOTE_MAX} characters.`, errorMessage: `Must be 1 to ${INCIDENT_NOTE_MAX} characters with some text (not only spaces).` }),
    public: Type.Optional(Type.Boolean({ default: false, description: 'true: the note is a public update, shown on the status pages whose components the incident touches; false (default): only responders see it.' })),
  },
  { additionalProperties: false },
);

/** Incident figures of a service or team over an SLA report's window. */
export const IncidentFigures = Type.Object({
  count: Type.Integer({ description: 'Incidents opened in the window that involve the subject.' }),
  resolved: Type.Integer({ description: 'Of those, resolved by now.' }),
  open: Type.Integer({ description: 'Of those, not resolved yet.' }),
  mtta_seconds: Type.Union([Type.Number(), Type.Null()], { description: 'Mean time to acknowledge (acknowledged_at − opened_at) of the acknowledged ones; null when none was.' }),
  mttr_seconds: Type.Union([Type.Number(), Type.Null()], { description: 'Mean time to resolve (resolved_at − first_failure_at) of the resolved ones; null when none was.' }),
});

export type IncidentSummary = Static<typeof IncidentSummary>;
export type IncidentDetail = Static<typeof IncidentDetail>;
export type IncidentAlert = Static<typeof IncidentAlert>;
export type IncidentTimelineEntry = Static<typeof IncidentTimelineEntry>;
export type IncidentChange = Static<typeof IncidentChange>;
export type IncidentListQuery = Static<typeof IncidentListQuery>;
export type IncidentPatch = Static<typeof IncidentPatch>;
export type IncidentNoteInput = Static<typeof IncidentNoteInput>;
export type IncidentFigures = Static<typeof IncidentFigures>;
export type IncidentActor = Static<typeof IncidentActor>;
