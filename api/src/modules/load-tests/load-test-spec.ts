import type { Static } from '@sinclair/typebox';
import type { LoadTestCriteria, LoadTestRequest } from '../../contract/load-test.schema.ts';

type Request = Static<typeof LoadTestRequest>;

/** A stored load test's plan as its consumers read it (the jsonb spec column), every field typed. */
export interface LoadTestSpec {
  /** The request without secret headers (those are in the secrets column). */
  request: Omit<Request, 'secret_headers'> & { method: NonNullable<Request['method']>; url: string };
  regions: string[];
  /** Total over all regions; null for a duration-bounded test. */
  requests: number | null;
  durationSeconds: number | null;
  concurrency: number;
  /** The rate each region sends at (the one asked for, or the organization's limit at creation). */
  ratePerSecond: number;
  timeoutMs: number;
  criteria: Static<typeof LoadTestCriteria>;
}

const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Reads a stored spec (written by toStoredSpec) with defaults for anything missing. The one place that knows its shape. */
export function loadTestSpecOf(spec: unknown): LoadTestSpec {
  const s = rec(spec);
  const r = rec(s.request);
  const headers = rec(r.headers);
  const criteria = rec(s.criteria);
  return {
    request: {
      method: (typeof r.method === 'string' ? r.method : 'GET') as LoadTestSpec['request']['method'],
      url: typeof r.url === 'string' ? r.url : '',
      ...(Object.keys(headers).length ? { headers: headers as Record<string, string> } : {}),
      ...(typeof r.body === 'string' ? { body: r.body } : {}),
      verify_tls: typeof r.verify_tls === 'boolean' ? r.verify_tls : true,
    },
    regions: Array.isArray(s.regions) ? s.regions.filter((x): x is string => typeof x === 'string') : [],
    requests: int(s.requests),
    durationSeconds: int(s.duration_seconds),
    concurrency: int(s.concurrency) ?? 1,
    ratePerSecond: int(s.rate_per_second) ?? 1,
    timeoutMs: int(s.timeout_ms) ?? 10_000,
    criteria: {
      ...(typeof criteria.p95_below_ms === 'number' ? { p95_below_ms: criteria.p95_below_ms } : {}),
      ...(typeof criteria.error_rate_below === 'number' ? { error_rate_below: criteria.error_rate_below } : {}),
    },
  };
}

/** The stored form of a plan. */
export function toStoredSpec(s: LoadTestSpec): Record<string, unknown> {
  return {
    request: s.request, regions: s.regions, requests: s.requests, duration_seconds: s.durationSeconds, concurrency: s.concurrency,
    rate_per_second: s.ratePerSecond, timeout_ms: s.timeoutMs, criteria: s.criteria,
  };
}
