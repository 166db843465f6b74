import { Type, type Static } from '@sinclair/typebox';
import { Id, Region, StringEnum, Timestamp } from './common.schema.ts';
import { metricNamePattern } from './monitor.schema.ts';

/** Windows GET /v1/monitors/{id}/metrics answers for, ending now. */
export const metricWindows = ['5m', '15m', '30m', '1h', '3h', '6h', '12h', '24h'] as const;
export type MetricWindowName = (typeof metricWindows)[number];

/** A series has at most this many points; longer windows use a coarser step (a multiple of one minute). */
export const maxMetricPoints = 360;

export const MonitorMetricsQuery = Type.Object(
  {
    window: Type.Optional(StringEnum(metricWindows, { default: '1h', description: 'Window ending now.' })),
    region: Type.Optional(Region),
    metric: Type.Optional(Type.String({ pattern: metricNamePattern, description: 'Only this metric.', errorMessage: 'Must be a metric name: lower-case letters, digits and "_", starting with a letter, e.g. "utilization_pct".' })),
  },
  { additionalProperties: false },
);

/** One step of a series: the aggregate of the samples whose minute falls in [at, at + step). */
export const MetricPoint = Type.Object({
  at: Timestamp,
  min: Type.Number(),
  avg: Type.Number(),
  max: Type.Number(),
  last: Type.Number({ description: 'The latest sample of the step.' }),
  count: Type.Integer({ minimum: 1, description: 'Samples in the step.' }),
});

/** Aggregate of a whole window; without samples only `count` (0) is present. */
export const MetricSummary = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  min: Type.Optional(Type.Number()),
  avg: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  last: Type.Optional(Type.Number()),
  last_at: Type.Optional(Timestamp),
});

export const MetricSeries = Type.Object({
  name: Type.String(),
  path: Type.Optional(Type.String({ description: 'The JSONPath the monitor declares for it; absent for a metric the monitor no longer declares.' })),
  summary: MetricSummary,
  points: Type.Array(MetricPoint, { description: 'Steps with samples, oldest first; steps without samples are left out.' }),
});

export const MonitorMetrics = Type.Object({
  monitor_id: Id,
  region: Type.Optional(Type.String({ description: 'Set when the answer is for one region; otherwise samples of every region are combined.' })),
  window: StringEnum(metricWindows),
  from: Timestamp,
  to: Timestamp,
  step_seconds: Type.Integer({ minimum: 60 }),
  metrics: Type.Array(MetricSeries, { description: 'The declared metrics in their order, then any metric with samples in the window that the monitor no longer declares.' }),
});

export type MonitorMetricsQuery = Static<typeof MonitorMetricsQuery>;
export type MetricPoint = Static<typeof MetricPoint>;
export type MetricSummary = Static<typeof MetricSummary>;
export type MetricSeries = Static<typeof MetricSeries>;
export type MonitorMetrics = Static<typeof MonitorMetrics>;
