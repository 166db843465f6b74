import { Type, type Static } from '@sinclair/typebox';
import { Id, Region, StringEnum, Timestamp } from './common.schema.ts';
import { IncidentFigures } from './incident.schema.ts';

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

export type SlaReport = Static<typeof SlaReport>;
export type SlaFigures = Static<typeof SlaFigures>;
