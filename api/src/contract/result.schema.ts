import { Type, type Static } from '@sinclair/typebox';
import { ClosedMap, Id, Region, StringEnum, Timestamp } from './common.schema.ts';
import { assertionOperators, assertionSources, maxMetricsPerMonitor, metricNamePattern } from './monitor.schema.ts';

export const resultStatuses = ['up', 'degraded', 'down'] as const;
export type ResultStatus = (typeof resultStatuses)[number];

const Status = StringEnum(resultStatuses);
const Ms = Type.Number({ minimum: 0, maximum: 86400000 });

/** Time spent in each phase of a request, in milliseconds; a phase that did not happen is absent. */
export const Timings = Type.Object(
  {
    dns_ms: Type.Optional(Ms),
    connect_ms: Type.Optional(Ms),
    tls_ms: Type.Optional(Ms),
    first_byte_ms: Type.Optional(Ms),
    download_ms: Type.Optional(Ms),
    total_ms: Ms,
  },
  { additionalProperties: false },
);

export const CheckError = Type.Object(
  {
    code: Type.String({ maxLength: 64, description: 'Stable failure code, e.g. "timeout", "connection_refused", "assertion_failed".' }),
    message: Type.String({ maxLength: 2000 }),
  },
  { additionalProperties: false },
);

export const AssertionOutcome = Type.Object(
  {
    source: StringEnum(assertionSources),
    path: Type.Optional(Type.String({ maxLength: 256 })),
    operator: StringEnum(assertionOperators),
    target: Type.Optional(Type.String({ maxLength: 4096 })),
    actual: Type.Optional(Type.String({ maxLength: 4096, description: 'What was observed, truncated.' })),
    passed: Type.Boolean(),
    severity: StringEnum(['down', 'degraded'] as const),
  },
  { additionalProperties: false },
);

/**
 * Bound of a metric value. JSON has no NaN or Infinity, but 1e400 parses to Infinity; values are
 * also summed in the per-minute rollups (double precision), where an overflow would fail ingest.
 */
export const metricValueLimit = 1e15;

/** Health-endpoint metric values of one check, by metric name; a metric with no numeric value is absent (details.metric_errors says why). */
export const ResultMetrics = ClosedMap(
  { pattern: metricNamePattern, rule: 'Metric names are 1 to 63 lower-case letters, digits and "_", starting with a letter.' },
  Type.Number({ minimum: -metricValueLimit, maximum: metricValueLimit }),
  { maxProperties: maxMetricsPerMonitor, description: 'Numbers read from the response body by the monitor\'s http.metrics, by name.' },
);

/** What a whole check and each step of a multi-step flow report alike. */
const outcomeFields = {
  status: Status,
  duration_ms: Ms,
  status_code: Type.Optional(Type.Integer({ minimum: 100, maximum: 999 })),
  timings: Type.Optional(Timings),
  error: Type.Optional(CheckError),
  assertions: Type.Optional(Type.Array(AssertionOutcome, { maxItems: 50 })),
};

export const StepOutcome = Type.Object({ name: Type.String({ maxLength: 100 }), ...outcomeFields }, { additionalProperties: false });

/** One check execution as a runner reports it. `id` is chosen by the runner and makes ingest idempotent. */
export const CheckResult = Type.Object(
  {
    id: Type.String({ pattern: '^res_[0-9A-HJKMNP-TV-Z]{26}$', errorMessage: 'Must be "res_" followed by a ULID (26 characters), chosen by the runner.' }),
    monitor_id: Id,
    region: Region,
    started_at: Timestamp,
    ...outcomeFields,
    steps: Type.Optional(Type.Array(StepOutcome, { maxItems: 20 })),
    metrics: Type.Optional(ResultMetrics),
    trace_id: Type.Optional(Type.String({ pattern: '^[0-9a-f]{32}$', description: 'W3C trace id sent in the traceparent header.', errorMessage: 'Must be 32 lower-case hex digits (a W3C trace id).' })),
    details: Type.Optional(
      ClosedMap(
        { pattern: '^[A-Za-z0-9_.-]{1,64}$', rule: 'Detail names are 1 to 64 letters, digits and "_ . -".' },
        Type.Union([Type.String({ maxLength: 4096 }), Type.Number(), Type.Boolean(), Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 50 })]),
        { maxProperties: 30, description: 'Type-specific facts, e.g. days_to_expiry for TLS or answers for DNS.' },
      ),
    ),
    confirmation: Type.Optional(Type.Boolean({ description: 'This check was an immediate confirmation of a failure.' })),
  },
  { additionalProperties: false },
);

export type Timings = Static<typeof Timings>;
export type CheckError = Static<typeof CheckError>;
export type AssertionOutcome = Static<typeof AssertionOutcome>;
export type StepOutcome = Static<typeof StepOutcome>;
export type CheckResult = Static<typeof CheckResult>;
export type ResultMetrics = Static<typeof ResultMetrics>;
