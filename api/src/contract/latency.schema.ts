import { Type, type Static } from '@sinclair/typebox';
import { Id, Region, StringEnum, Timestamp } from './common.schema.ts';

/** Windows GET /v1/monitors/{id}/latency answers for, ending now. */
export const latencyWindows = ['24h', '7d', '30d'] as const;
export type LatencyWindow = (typeof latencyWindows)[number];

/** A series has at most this many steps; the server picks the step (1 min … 1 day) to fit. */
export const maxLatencyPoints = 300;
/** Longest from/to span. */
export const maxLatencySpanDays = 90;

export const MonitorLatencyQuery = Type.Object(
  {
    window: Type.Optional(StringEnum(latencyWindows, { default: '24h', description: 'Window ending now. Ignored when from is given.' })),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'End of the span (default now); needs from.' })),
    region: Type.Optional(Region),
  },
  { additionalProperties: false },
);

const Ms = Type.Union([Type.Number(), Type.Null()], { description: 'Milliseconds, interpolated within the rollup histogram bucket; null without checks.' });

/** One step: the latency of the checks that started in [t, t + step). */
export const LatencyPoint = Type.Object({
  t: Timestamp,
  p50: Ms,
  p95: Ms,
  count: Type.Integer({ minimum: 1, description: 'Checks in the step.' }),
});

export const LatencySeries = Type.Object({
  region: Region,
  p50: Ms,
  p95: Ms,
  count: Type.Integer({ minimum: 0, description: 'Checks in the whole window.' }),
  points: Type.Array(LatencyPoint, { description: 'Steps with checks, oldest first; steps without checks are left out.' }),
});

export const MonitorLatency = Type.Object({
  monitor_id: Id,
  window: Type.Optional(StringEnum(latencyWindows)),
  from: Timestamp,
  to: Timestamp,
  step_seconds: Type.Integer({ minimum: 60 }),
  resolution: StringEnum(['minute', 'hour'] as const, { description: 'The rollups the series were read from.' }),
  regions: Type.Array(LatencySeries, { description: 'Per region, by name: the monitor\'s configured regions and any other region with checks in the window.' }),
});

export type MonitorLatencyQuery = Static<typeof MonitorLatencyQuery>;
export type LatencyPoint = Static<typeof LatencyPoint>;
export type LatencySeries = Static<typeof LatencySeries>;
export type MonitorLatency = Static<typeof MonitorLatency>;
