import { Type, type Static } from '@sinclair/typebox';
import { ClosedMap, Id, Region, StringEnum, Timestamp } from './common.schema.ts';
import { maxBucket } from './load-test-histogram.ts';
import { HttpCheck } from './monitor.schema.ts';

/**
 * On-demand load tests (POST /v1/load-tests). The control plane splits a test over the runners of
 * the regions it names (one share per region, handed to one live runner of that region that
 * registered the `load_test` capability), runners run their share with undici while their monitors
 * keep their cadence, report progress with a mergeable histogram, and the control plane merges the
 * reports into per-region and overall figures and a pass/fail verdict.
 */

/** The capability a runner lists in `capabilities` at registration to receive load-test shares. */
export const LOAD_TEST_CAPABILITY = 'load_test';

export const loadTestStates = ['queued', 'running', 'passed', 'failed', 'aborted', 'error'] as const;
export type LoadTestState = (typeof loadTestStates)[number];

/** The HTTP request a load test sends: the parts of an http check that shape a request. */
export const LoadTestRequest = Type.Pick(HttpCheck, ['method', 'url', 'headers', 'secret_headers', 'body', 'verify_tls'], { additionalProperties: false });

export const LoadTestCriteria = Type.Object(
  {
    p95_below_ms: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 600000, description: 'Passes only when the overall p95 latency is below this many milliseconds.' })),
    error_rate_below: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Passes only when the share of failed requests (transport errors, timeouts and status ≥ 400) is below this fraction, e.g. 0.01.' })),
  },
  { additionalProperties: false },
);

const statusKey = { pattern: '^[1-5][0-9]{2}$', rule: 'Keys are HTTP status codes, e.g. "200".' };
const errorKey = { pattern: '^[a-z0-9_]{1,64}$', rule: 'Keys are error codes: 1 to 64 lower-case letters, digits and "_", e.g. "timeout".' };
const bucketKey = { pattern: '^[0-9]{1,4}$', rule: 'Keys are bucket indexes of load-test-histogram.ts, e.g. "512".' };
const StatusCounts = (description: string) => ClosedMap(statusKey, Type.Integer({ minimum: 0 }), { description, maxProperties: 500 });
const ErrorCounts = (description: string) => ClosedMap(errorKey, Type.Integer({ minimum: 0 }), { description, maxProperties: 200 });

export const LoadTestInput = Type.Object(
  {
    monitor_id: Type.Optional(Id),
    service_id: Type.Optional(Id),
    request: Type.Optional(LoadTestRequest),
    regions: Type.Array(Region, { minItems: 1, maxItems: 20, uniqueItems: true, description: 'Regions whose runners put the load; each region runs its share.' }),
    requests: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, description: 'Total requests over all regions (split evenly). Give requests or duration_seconds.' })),
    duration_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600, description: 'Run for this long in every region. Give requests or duration_seconds.' })),
    concurrency: Type.Integer({ minimum: 1, maximum: 1000, description: 'Requests in flight at once, per region.' }),
    rate_per_second: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100000, description: "Target request rate per region; when absent, the organization's max_rate_per_second (GET /v1/load-test-settings)." })),
    timeout_ms: Type.Optional(Type.Integer({ minimum: 1, maximum: 60000, default: 10000, description: 'Per-request timeout.' })),
    criteria: Type.Optional(LoadTestCriteria),
  },
  { additionalProperties: false },
);
export type LoadTestInput = Static<typeof LoadTestInput>;

export const LatencySummary = Type.Object({
  p50_ms: Type.Union([Type.Number(), Type.Null()]),
  p90_ms: Type.Union([Type.Number(), Type.Null()]),
  p95_ms: Type.Union([Type.Number(), Type.Null()]),
  p99_ms: Type.Union([Type.Number(), Type.Null()]),
  max_ms: Type.Union([Type.Number(), Type.Null()]),
});

/** Figures of one region, or of all regions together. */
export const LoadTestFigures = Type.Object({
  requests: Type.Integer({ description: 'Requests completed (answered or failed).' }),
  errors: Type.Integer({ description: 'Failed requests: transport errors, timeouts and status ≥ 400.' }),
  error_rate: Type.Union([Type.Number(), Type.Null()]),
  requests_per_second: Type.Union([Type.Number(), Type.Null()]),
  latency: LatencySummary,
  status_codes: StatusCounts('Answers by HTTP status code, e.g. {"200": 9950, "503": 50}.'),
  errors_by_code: ErrorCounts('Transport failures by result error code (timeout, connection_refused, …) plus "http_<status>" for status ≥ 400.'),
});

export const LoadTestRegion = Type.Object({
  region: Region,
  state: StringEnum(['queued', 'running', 'done', 'aborted', 'error'] as const),
  runner_id: Type.Union([Id, Type.Null()]),
  message: Type.Optional(Type.String()),
  ...LoadTestFigures.properties,
});

export const LoadTest = Type.Object({
  id: Id,
  team_id: Id,
  service_id: Id,
  monitor_id: Type.Union([Id, Type.Null()]),
  state: StringEnum(loadTestStates),
  request: LoadTestRequest,
  regions: Type.Array(Region),
  requests: Type.Union([Type.Integer(), Type.Null()]),
  duration_seconds: Type.Union([Type.Integer(), Type.Null()]),
  concurrency: Type.Integer(),
  rate_per_second: Type.Union([Type.Number(), Type.Null()]),
  timeout_ms: Type.Integer(),
  criteria: LoadTestCriteria,
  progress: Type.Number({ minimum: 0, maximum: 1, description: 'Share of the planned requests or duration done.' }),
  verdict: Type.Union([StringEnum(['pass', 'fail'] as const), Type.Null()], { description: 'Against the criteria once finished; null while running or when aborted.' }),
  verdict_reasons: Type.Array(Type.String(), { description: 'Why it failed, e.g. "p95 412 ms is not below 300 ms".' }),
  overall: LoadTestFigures,
  by_region: Type.Array(LoadTestRegion),
  created_by: Type.String(),
  created_at: Timestamp,
  started_at: Type.Union([Timestamp, Type.Null()]),
  finished_at: Type.Union([Timestamp, Type.Null()]),
});
export type LoadTest = Static<typeof LoadTest>;

/* ---------- runner protocol ---------- */

/**
 * One runner's share of a load test, sent in `Assignments.load_tests` to a runner that registered the
 * `load_test` capability; repeated on every poll while the share runs (a runner starts a given id once).
 */
export const LoadTestShare = Type.Object({
  load_test_id: Id,
  request: LoadTestRequest,
  requests: Type.Union([Type.Integer(), Type.Null()], { description: 'Requests of this share; null: run for duration_seconds.' }),
  duration_seconds: Type.Union([Type.Integer(), Type.Null()]),
  concurrency: Type.Integer(),
  rate_per_second: Type.Union([Type.Number(), Type.Null()]),
  timeout_ms: Type.Integer(),
  deadline: Timestamp,
});
export type LoadTestShare = Static<typeof LoadTestShare>;

/**
 * POST /v1/runner/load-tests/{load_test_id}/progress, at least once a second while the share runs and
 * once with final=true. Counts are cumulative since the share started (a report replaces the previous
 * one of the same runner; a report with a lower seq is ignored). The answer says whether to abort.
 */
export const LoadTestProgress = Type.Object(
  {
    runner_id: Id,
    seq: Type.Integer({ minimum: 0 }),
    final: Type.Boolean(),
    elapsed_ms: Type.Integer({ minimum: 0 }),
    requests: Type.Integer({ minimum: 0 }),
    errors: Type.Integer({ minimum: 0 }),
    status_codes: StatusCounts('Answers by HTTP status code, cumulative.'),
    errors_by_code: ErrorCounts('Failed requests by error code (transport codes and "http_<status>"), cumulative.'),
    histogram: ClosedMap(bucketKey, Type.Integer({ minimum: 0 }), { description: 'Latency histogram (microsecond buckets of load-test-histogram.ts), cumulative.', maxProperties: maxBucket + 1 }),
    max_us: Type.Integer({ minimum: 0 }),
    error: Type.Optional(Type.String({ maxLength: 1000, description: 'Why the share could not run (final only).' })),
  },
  { additionalProperties: false },
);
export type LoadTestProgress = Static<typeof LoadTestProgress>;

export const LoadTestProgressAnswer = Type.Object({ abort: Type.Boolean() });

/* ---------- organization settings (GET/PUT /v1/load-test-settings) ---------- */

/** A host name, or "*.<domain>" for every host under that domain. */
const AllowedHost = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '^(\\*\\.)?[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$|^\\[[0-9A-Fa-f:.]+\\]$',
  errorMessage: 'Must be a host name such as "api.example.com", "*.example.com" for every host under a domain, or an IP address (IPv6 in brackets); no scheme, port or path.',
});

export const LoadTestSettingsInput = Type.Object(
  {
    allowed_hosts: Type.Optional(Type.Array(AllowedHost, { maxItems: 200, uniqueItems: true, default: [], description: 'Hosts load tests may target besides those of the monitors of the target service.' })),
    max_concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 50, description: 'Largest concurrency (requests in flight per region) a load test may ask for.' })),
    max_rate_per_second: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100000, default: 500, description: 'Largest target rate per region; a test without rate_per_second runs at this rate.' })),
    max_duration_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600, default: 300, description: 'Longest test: duration_seconds, or how long a requests-bounded test may run before it is cut off.' })),
    max_requests: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, default: 100_000, description: 'Most requests (over all regions) a requests-bounded test may ask for.' })),
  },
  { additionalProperties: false },
);
export type LoadTestSettingsInput = Static<typeof LoadTestSettingsInput>;

export const LoadTestSettings = Type.Object({
  allowed_hosts: Type.Array(Type.String()),
  max_concurrency: Type.Integer(),
  max_rate_per_second: Type.Number(),
  max_duration_seconds: Type.Integer(),
  max_requests: Type.Integer(),
  updated_at: Type.Optional(Timestamp),
  version: Type.Integer({ description: '0 until an org admin writes the settings.' }),
});
export type LoadTestSettings = Static<typeof LoadTestSettings>;
