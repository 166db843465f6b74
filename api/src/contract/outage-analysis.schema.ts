import { Type, type Static } from '@sinclair/typebox';
import { changeEventKinds } from './change-event.schema.ts';
import { Id, StringEnum, Timestamp } from './common.schema.ts';

// GET /v1/analysis/outages: the outage history of a service or a team (docs/incidents.md#outage-history).

export const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

export const OUTAGE_WINDOW_MAX_DAYS = 365;

export const OutageAnalysisQuery = Type.Object(
  {
    service: Type.Optional(Id),
    team: Type.Optional(Id),
    window: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}d$', default: '90d', description: 'Days back from now, 1d to 365d; default 90d.', errorMessage: 'Must be a number of days from 1d to 365d, e.g. "90d".' })),
    after_change_minutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440, default: 30, description: 'An outage counts as "after a change" when it began at most this many minutes after a change event of its service.' })),
  },
  { additionalProperties: false },
);

const Seconds = Type.Union([Type.Number(), Type.Null()]);

export const OutageFigures = Type.Object({
  count: Type.Integer({ description: 'Outages (periods in state down) that began in the window.' }),
  ongoing: Type.Integer({ description: 'Of them, still down now (their duration runs up to now).' }),
  total_seconds: Type.Number(),
  median_seconds: Type.Union([Type.Number(), Type.Null()], { description: 'Typical duration; null without outages.' }),
  p90_seconds: Type.Union([Type.Number(), Type.Null()], { description: '90 % of the outages lasted at most this long (nearest rank); null without outages.' }),
  longest_seconds: Seconds,
  by_weekday: Type.Array(Type.Object({ weekday: StringEnum(weekdays), count: Type.Integer() }), { description: 'Outages by the UTC weekday they began on, Monday first.' }),
  by_hour_of_week: Type.Object({
    weekdays: Type.Array(StringEnum(weekdays), { description: 'Row names of counts, Monday first.' }),
    counts: Type.Array(Type.Array(Type.Integer(), { minItems: 24, maxItems: 24 }), { minItems: 7, maxItems: 7, description: 'counts[day][hour]: outages that began on that UTC weekday in that UTC hour.' }),
  }),
  after_change: Type.Object({
    minutes: Type.Integer(),
    count: Type.Integer({ description: 'Outages that began within `minutes` after a change event of their service.' }),
    share_percent: Type.Union([Type.Number(), Type.Null()], { description: 'count / outages × 100; null without outages.' }),
    kinds: Type.Array(Type.Object({ kind: StringEnum(changeEventKinds), count: Type.Integer() }), { description: 'The kind of the latest change event before each of those outages.' }),
  }),
  by_region: Type.Array(Type.Object({ region: Type.String(), count: Type.Integer({ description: 'Outages during which a monitor of the service was down in this region.' }), share_percent: Type.Number() })),
  failure_codes: Type.Array(Type.Object({
    error_code: Type.Union([Type.String(), Type.Null()], { description: 'The check\'s error code (e.g. timeout, connection_refused, assertion_failed); null when the check only reported a status.' }),
    status_code: Type.Union([Type.Integer(), Type.Null()], { description: 'The HTTP status the check got; null when none came.' }),
    outages: Type.Integer({ description: 'Outages in which failing checks reported it.' }),
    checks: Type.Integer({ description: 'Failing check results that reported it during outages.' }),
  }), { description: 'The 10 most frequent, from the failing check results during the outages (raw results are kept for the result retention, 14 days by default).' }),
  root_causes: Type.Array(Type.Object({
    kind: Type.Union([Type.String(), Type.Null()], { description: 'service or edge.' }),
    id: Type.Union([Type.String(), Type.Null()]),
    name: Type.Union([Type.String(), Type.Null()]),
    incidents: Type.Integer({ description: 'Incidents involving the service(s), begun in the window, that named it as the probable root cause.' }),
  }), { description: 'The 10 most frequent probable root causes of the incidents involving the service(s).' }),
  findings: Type.Array(Type.String(), { description: 'Plain statements the figures support (thresholds in docs/incidents.md#outage-history).' }),
});

export const OutageRecord = Type.Object({
  service_id: Id,
  service_name: Type.String(),
  started_at: Timestamp,
  ended_at: Type.Union([Timestamp, Type.Null()], { description: 'null while it lasts.' }),
  duration_seconds: Type.Number(),
  regions: Type.Array(Type.String(), { description: 'Regions in which a monitor of the service was down during the outage.' }),
  after_change: Type.Union([
    Type.Object({ id: Id, kind: StringEnum(changeEventKinds), at: Timestamp, version: Type.Optional(Type.String()), minutes_before: Type.Number() }),
    Type.Null(),
  ], { description: 'The latest change event of the service at most after_change_minutes before the outage began.' }),
});

export const OutageAnalysis = Type.Object({
  subject: Type.Object({ type: StringEnum(['service', 'team'] as const), id: Id, name: Type.String() }),
  window: Type.Object({ from: Timestamp, to: Timestamp, days: Type.Integer() }),
  ...OutageFigures.properties,
  services: Type.Optional(Type.Array(Type.Object({ id: Id, name: Type.String(), ...OutageFigures.properties }), { description: 'For a team: the figures of each of its services (the top-level figures are the team total).' })),
  outages: Type.Array(OutageRecord, { description: 'The 100 most recent outages, newest first.' }),
  truncated: Type.Boolean({ description: 'More than 10,000 outages began in the window: the figures are of the 10,000 most recent.' }),
});

export type OutageAnalysisQuery = Static<typeof OutageAnalysisQuery>;
export type OutageFigures = Static<typeof OutageFigures>;
export type OutageRecord = Static<typeof OutageRecord>;
export type OutageAnalysis = Static<typeof OutageAnalysis>;
