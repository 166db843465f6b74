import { Managed } from './managed-by.schema.ts';
import { Type, type Static } from '@sinclair/typebox';
import { ClosedMap, Description, HeaderValue, Id, Meta, Name, Region, StringEnum, Tags, headerName, labelKey } from './common.schema.ts';

/** Check types a runner can execute. Each has a sibling configuration object of the same name (multistep: `steps`). */
export const checkTypes = ['http', 'tcp', 'dns', 'tls', 'multistep', 'heartbeat'] as const;
export type CheckType = (typeof checkTypes)[number];

export const httpMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const assertionSources = ['status_code', 'header', 'body', 'json_body', 'response_time'] as const;
export const assertionOperators = [
  'equals', 'not_equals', 'contains', 'not_contains', 'matches', 'not_matches',
  'less_than', 'less_than_or_equal', 'greater_than', 'greater_than_or_equal',
  'in_range', 'one_of', 'exists', 'not_exists',
] as const;
export const dnsRecordTypes = ['A', 'AAAA', 'CNAME', 'TXT', 'MX'] as const;

const Url = Type.String({
  minLength: 1,
  maxLength: 2048,
  pattern: '^https?://[^\\s/$.?#][^\\s]*$',
  description: 'Absolute http:// or https:// URL.',
  errorMessage: 'Must start with http:// or https:// followed by a host, e.g. "https://api.example.com/health" (no spaces).',
});
const Headers = ClosedMap(headerName, HeaderValue(8192), {
  maxProperties: 50,
  description: 'Request headers, name to value. Names: RFC 7230 tokens, 1 to 128 characters; values: one line (no CR, LF or NUL), at most 8192 characters.',
});
/**
 * Write-only request headers for credentials (Authorization, API keys, cookies): stored apart from the
 * monitor document, never returned (the response names them in configured_secrets), sent by the
 * runner that owns the monitor. A PUT that omits them keeps the stored values; `{}` removes them. A
 * PATCH merges them key by key (RFC 7396): a name set to null removes that header, null removes all.
 */
const SecretHeaders = ClosedMap(headerName, HeaderValue(8192), {
  maxProperties: 50,
  writeOnly: true,
  description: 'Write-only request headers (credentials such as Authorization): sent by the runner, never returned; configured_secrets lists their names. A PUT without them keeps the stored ones, {} removes them; a PATCH merges them by name (null removes).',
});
const Host = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:_\\[\\]-]+$', description: 'Host name or IP address.', errorMessage: 'Must be a host name or IP address without a scheme, port or path, e.g. "db.internal" or "10.0.0.5".' });
const Port = Type.Integer({ minimum: 1, maximum: 65535 });

export const Assertion = Type.Object(
  {
    source: StringEnum(assertionSources, { description: 'What the assertion reads.' }),
    path: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: 'JSONPath expression (source "json_body", e.g. "$.status") or header name (source "header").' })),
    operator: StringEnum(assertionOperators, { description: 'Comparison. "in_range" takes "200-299"; "one_of" takes a comma-separated list.' }),
    target: Type.Optional(Type.String({ maxLength: 4096, description: 'Expected value; numbers compare numerically. Not used by "exists"/"not_exists".' })),
    severity: Type.Optional(StringEnum(['down', 'degraded'] as const, { default: 'down', description: 'What a failed assertion means for the result.' })),
  },
  { additionalProperties: false },
);

/** Names of health-endpoint metrics: lower-case letters, digits and "_", starting with a letter. */
export const metricNamePattern = '^[a-z][a-z0-9_]{0,62}$';
/** At most this many metrics per monitor (and per result). */
export const maxMetricsPerMonitor = 32;

/** A number read from the JSON response body of an HTTP check and reported with each result (docs/health-metrics.md). */
export const HealthMetric = Type.Object(
  {
    name: Type.String({ pattern: metricNamePattern, description: 'Metric name, unique within the monitor, e.g. "utilization_pct"; used by metric(monitor("…"), "name") in alert rules.', errorMessage: 'Must be 1 to 63 lower-case letters, digits and "_", starting with a letter, e.g. "utilization_pct".' }),
    path: Type.String({ minLength: 1, maxLength: 256, description: 'JSONPath to one value of the JSON response body, e.g. "$.pool.utilization_pct". Numbers, numeric strings and booleans (1/0) are recorded.' }),
  },
  { additionalProperties: false },
);

export const HttpCheck = Type.Object(
  {
    method: Type.Optional(StringEnum(httpMethods, { default: 'GET' })),
    url: Url,
    headers: Type.Optional(Headers),
    secret_headers: Type.Optional(SecretHeaders),
    body: Type.Optional(Type.String({ maxLength: 65536, description: 'Request body sent as is.' })),
    follow_redirects: Type.Optional(Type.Boolean({ default: true })),
    max_redirects: Type.Optional(Type.Integer({ minimum: 0, maximum: 10, default: 5 })),
    verify_tls: Type.Optional(Type.Boolean({ default: true, description: 'Verify the server certificate chain and host name.' })),
    max_body_bytes: Type.Optional(Type.Integer({ minimum: 0, maximum: 10485760, default: 1048576, description: 'Bytes of the response body read for assertions; the rest is discarded.' })),
    metrics: Type.Optional(Type.Array(HealthMetric, { maxItems: maxMetricsPerMonitor, description: 'Numbers read from the JSON response body with each check, stored and rolled up per minute (min/avg/max/last).' })),
  },
  { additionalProperties: false },
);

export const TcpCheck = Type.Object({ host: Host, port: Port }, { additionalProperties: false });

export const DnsCheck = Type.Object(
  {
    hostname: Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9_.-]+$', errorMessage: 'Must be a DNS name such as "api.example.com" (letters, digits, "_", "." and "-"; no scheme or path).' }),
    record_type: Type.Optional(StringEnum(dnsRecordTypes, { default: 'A' })),
    resolver: Type.Optional(Type.String({ pattern: '^[0-9A-Fa-f.:\\[\\]]+$', maxLength: 64, description: 'Resolver address "ip" or "ip:port"; the runner host resolver when absent.', errorMessage: 'Must be an IP address, optionally with a port, e.g. "10.0.0.2", "10.0.0.2:53" or "[fd00::2]:53".' })),
    expected_values: Type.Optional(Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 50, description: 'Every value must be among the answers.' })),
  },
  { additionalProperties: false },
);

export const TlsCheck = Type.Object(
  {
    host: Host,
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, default: 443 })),
    servername: Type.Optional(Type.String({ maxLength: 253, description: 'SNI name; defaults to host.' })),
    warn_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650, default: 30, description: 'Degraded when the certificate expires within this many days.' })),
    fail_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650, default: 7, description: 'Down when the certificate expires within this many days.' })),
    verify_chain: Type.Optional(Type.Boolean({ default: true, description: 'Down when the chain does not verify or the host name does not match.' })),
  },
  { additionalProperties: false },
);

export const Extraction = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', maxLength: 64, description: 'Variable name, used later as {{name}}.', errorMessage: 'Must be a variable name: letters, digits and "_", not starting with a digit, e.g. "order_id".' }),
    source: StringEnum(['json_body', 'header', 'body_regex'] as const),
    property: Type.String({ minLength: 1, maxLength: 512, description: 'JSONPath, header name, or a regular expression whose first group (or whole match) is taken.' }),
  },
  { additionalProperties: false },
);

export const Step = Type.Object(
  {
    name: Name,
    method: Type.Optional(StringEnum(httpMethods, { default: 'GET' })),
    url: Type.String({ minLength: 1, maxLength: 2048, description: 'URL; may use {{variables}} extracted by earlier steps.' }),
    headers: Type.Optional(Headers),
    secret_headers: Type.Optional(SecretHeaders),
    body: Type.Optional(Type.String({ maxLength: 65536 })),
    follow_redirects: Type.Optional(Type.Boolean({ default: true })),
    verify_tls: Type.Optional(Type.Boolean({ default: true })),
    extract: Type.Optional(Type.Array(Extraction, { maxItems: 20 })),
    assertions: Type.Optional(Type.Array(Assertion, { maxItems: 50 })),
  },
  { additionalProperties: false },
);

export const HeartbeatCheck = Type.Object(
  {
    period_seconds: Type.Integer({ minimum: 5, maximum: 86400 * 7, description: 'How often the job is expected to call in.' }),
    grace_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86400, default: 60, description: 'Extra time allowed before the monitor goes down.' })),
  },
  { additionalProperties: false },
);

export const RunFrom = Type.Object(
  {
    zone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$', description: 'Only runners labelled with this zone run the monitor.', errorMessage: 'Must be lower-case letters, digits and "-", starting with a letter or digit, e.g. "fulfillment".' })),
    labels: Type.Optional(ClosedMap(labelKey, Type.String({ maxLength: 255 }), { maxProperties: 20, description: 'Only runners carrying all of these labels run the monitor. Keys: letters, digits and "_ . : / -", 1 to 63 characters.' })),
  },
  { additionalProperties: false },
);

/** Fields a client writes. */
export const MonitorInput = Type.Object(
  {
    name: Name,
    service_id: Id,
    dependency_id: Type.Optional(Type.Union([Id, Type.Null()], {
      description: 'The dependency edge this monitor checks ("can this service reach the one it depends on, from its zone"): an edge of this monitor\'s own service (GET /v1/services/{service_id}/dependencies). Its results give the edge its state; they count toward the service\'s state as well. null or absent: a monitor of the service alone.',
    })),
    type: StringEnum(checkTypes),
    description: Type.Optional(Description),
    enabled: Type.Optional(Type.Boolean({ default: true, description: 'A disabled monitor is not run and its state is unknown.' })),
    interval_seconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 86400, default: 60, description: 'Seconds between checks, 5 s to 24 h.' })),
    timeout_seconds: Type.Optional(Type.Number({ minimum: 0.1, maximum: 300, default: 10, description: 'Per-check time budget; must be below the interval.' })),
    regions: Type.Optional(Type.Array(Region, { uniqueItems: true, maxItems: 20, default: [], description: 'Regions to run from; empty means every region with live runners.' })),
    run_from: Type.Optional(RunFrom),
    http: Type.Optional(HttpCheck),
    tcp: Type.Optional(TcpCheck),
    dns: Type.Optional(DnsCheck),
    tls: Type.Optional(TlsCheck),
    steps: Type.Optional(Type.Array(Step, { minItems: 1, maxItems: 20, description: 'Multi-step API flow, run in order.' })),
    heartbeat: Type.Optional(HeartbeatCheck),
    assertions: Type.Optional(Type.Array(Assertion, { maxItems: 50, default: [] })),
    failure_threshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 2, description: 'Consecutive failures before a region is down.' })),
    recovery_threshold: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 1, description: 'Consecutive successes before a region is up again.' })),
    degraded_threshold_ms: Type.Optional(Type.Integer({ minimum: 1, maximum: 300000, description: 'A passing check slower than this is degraded.' })),
    min_failed_regions: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 1, description: 'Regions that must be down for the monitor to be down.' })),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false },
);

/** A monitor write that succeeded but will not run everywhere it asks to (see docs/runners.md). */
export const PlacementWarning = Type.Object({
  code: Type.Literal('no_runner'),
  message: Type.String(),
  regions: Type.Array(Type.String(), { description: 'Regions with no live runner that can run the monitor (empty: no runner is live anywhere).' }),
});

export const Monitor = Type.Object({
  ...Meta,
  ...Managed,
  team_id: Id,
  ...MonitorInput.properties,
  heartbeat_url: Type.Optional(Type.String({ description: 'For heartbeat monitors: the URL the job calls.' })),
  configured_secrets: Type.Array(Type.String(), { description: 'Secret headers that are set, e.g. "http.secret_headers.Authorization" or "steps.login.secret_headers.X-Api-Key". Their values are never returned.' }),
});

export type MonitorInput = Static<typeof MonitorInput>;
/** The answer to a monitor create or update: the monitor, with what will keep it from running as written. */
export const WrittenMonitor = Type.Object({
  ...Monitor.properties,
  warnings: Type.Optional(Type.Array(PlacementWarning, { description: 'What will keep the monitor from running as written; never in a read.' })),
});

export type Monitor = Static<typeof Monitor>;
export type PlacementWarning = Static<typeof PlacementWarning>;
export type Assertion = Static<typeof Assertion>;
export type HttpCheck = Static<typeof HttpCheck>;
export type HealthMetric = Static<typeof HealthMetric>;
export type TcpCheck = Static<typeof TcpCheck>;
export type DnsCheck = Static<typeof DnsCheck>;
export type TlsCheck = Static<typeof TlsCheck>;
export type Step = Static<typeof Step>;
export type Extraction = Static<typeof Extraction>;
export type HeartbeatCheck = Static<typeof HeartbeatCheck>;
