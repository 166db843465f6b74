import { Type, type Static } from '@sinclair/typebox';
import { Id, Region, StringEnum, Timestamp } from './common.schema.ts';
import { IncidentFigures } from './incident.schema.ts';
import { states } from './state.schema.ts';

export const slaWindows = ['24h', '7d', '30d', '90d'] as const;

export const SlaQuery = Type.Object(
  {
    window: Type.Optional(StringEnum(slaWindows, { description: 'Rolling window ending now. Ignored when from/to are given.' })),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);

const Latency = Type.Object({
  p50: Type.Union([Type.Number(), Type.Null()]),
  p95: Type.Union([Type.Number(), Type.Null()]),
  p99: Type.Union([Type.Number(), Type.Null()]),
  mean: Type.Union([Type.Number(), Type.Null()]),
}, { description: 'Milliseconds, from rollup histograms; null without checks.' });

const Checks = Type.Object({ total: Type.Integer(), up: Type.Integer(), degraded: Type.Integer(), down: Type.Integer() });

export const SlaFigures = Type.Object({
  uptime_percent: Type.Union([Type.Number(), Type.Null()], { description: 'Share of the observed time (counted time with a known state) not down: 0 for a subject that was down whenever it was observed; null when it was never observed (no results yet, no runner).' }),
  observed_seconds: Type.Number({ description: 'Counted time in which the state was known (up, degraded or down); the basis of uptime_percent.' }),
  unknown_seconds: Type.Number({ description: 'Counted time in state unknown (no results yet, disabled, no runner): neither up nor down.' }),
  downtime_seconds: Type.Number(),
  outages: Type.Integer(),
  longest_outage_seconds: Type.Number(),
  latency_ms: Latency,
  checks: Checks,
});

export const SlaReport = Type.Object({
  subject: Type.Object({ type: StringEnum(['monitor', 'service', 'team', 'edge'] as const, { description: 'edge: a dependency edge (GET /v1/sla/dependencies/{id}), named "service → depends on".' }), id: Id, name: Type.String() }),
  window: Type.Object({ from: Timestamp, to: Timestamp, seconds: Type.Number(), label: Type.Optional(Type.String()) }),
  counted_seconds: Type.Number({ description: 'Window length minus excluded maintenance.' }),
  excluded_seconds: Type.Number({ description: 'Maintenance time left out of the figures.' }),
  excluded_windows: Type.Array(Type.Object({ id: Id, name: Type.String(), seconds: Type.Number() })),
  ...SlaFigures.properties,
  regions: Type.Array(Type.Object({ region: Region, ...SlaFigures.properties })),
  parts: Type.Optional(Type.Array(Type.Object({ type: StringEnum(['monitor', 'service'] as const), id: Id, name: Type.String(), ...SlaFigures.properties }), { description: 'Per monitor of a service or of a dependency edge, per service of a team.' })),
  incidents: Type.Optional(Type.Object(IncidentFigures.properties, { description: 'Services and teams: the incidents opened in the window that involve the subject (its service_ids or team_ids), how many are resolved and open, mean time to acknowledge and to resolve (seconds).' })),
});

/** Days GET /v1/sla/{monitors,services}/{id}/daily answers for by default, and at most. */
export const slaDailyDefaultDays = 90;
export const slaDailyMaxDays = 365;

export const SlaDailyQuery = Type.Object(
  { days: Type.Optional(Type.Integer({ minimum: 1, maximum: slaDailyMaxDays, default: slaDailyDefaultDays, description: 'How many UTC days, ending with today (which ends now).' })) },
  { additionalProperties: false },
);

export const SlaDay = Type.Object({
  date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'The UTC day, YYYY-MM-DD.' }),
  uptime_ratio: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: 'Share (0..1) of the observed time of the day that was not down; null when nothing was observed that day (before the subject existed, no results, all maintenance).' }),
  downtime_seconds: Type.Number({ description: 'Down time of the day outside maintenance.' }),
  observed_seconds: Type.Number({ description: 'Time of the day, outside maintenance, with a known state (up, degraded or down).' }),
  maintenance_seconds: Type.Number({ description: 'Time of the day left out for maintenance windows that exclude time from SLA.' }),
  worst_state: StringEnum(states, { description: 'The worst state held in the counted time of the day: down, else degraded, else up; unknown when nothing was observed.' }),
});

export const SlaDaily = Type.Object({
  days: Type.Array(SlaDay, { description: 'One entry per UTC day, oldest first; the last is today up to now.' }),
});

export type SlaReport = Static<typeof SlaReport>;
export type SlaDay = Static<typeof SlaDay>;
export type SlaDaily = Static<typeof SlaDaily>;
export type SlaDailyQuery = Static<typeof SlaDailyQuery>;
export type SlaFigures = Static<typeof SlaFigures>;
