import { LoadTestSettingsInput } from '../../contract/load-test.schema.ts';

/** An organization's load-test guard rails, every field present. */
export interface LoadTestLimits {
  allowed_hosts: string[];
  max_concurrency: number;
  max_rate_per_second: number;
  max_duration_seconds: number;
  max_requests: number;
}

const prop = LoadTestSettingsInput.properties;

// The defaults are the contract's own (each property's `default`), read once at module load.
export const defaultLoadTestLimits: LoadTestLimits = {
  allowed_hosts: [],
  max_concurrency: prop.max_concurrency.default as number,
  max_rate_per_second: prop.max_rate_per_second.default as number,
  max_duration_seconds: prop.max_duration_seconds.default as number,
  max_requests: prop.max_requests.default as number,
};

const bounded = (v: unknown, max: number, integer: boolean): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= max && (!integer || Number.isInteger(v));

/**
 * The one typed reading of a stored settings spec: each field as stored when it has the right type
 * and bounds, else its default (a row altered by hand never yields a limit the guard cannot use).
 */
export function loadTestLimitsOf(spec: unknown): LoadTestLimits {
  const doc = spec !== null && typeof spec === 'object' && !Array.isArray(spec) ? (spec as Record<string, unknown>) : {};
  return {
    allowed_hosts: Array.isArray(doc.allowed_hosts) ? doc.allowed_hosts.filter((h): h is string => typeof h === 'string').map((h) => h.toLowerCase()) : [],
    max_concurrency: bounded(doc.max_concurrency, 1000, true) ? doc.max_concurrency : defaultLoadTestLimits.max_concurrency,
    max_rate_per_second: bounded(doc.max_rate_per_second, 100000, false) ? doc.max_rate_per_second : defaultLoadTestLimits.max_rate_per_second,
    max_duration_seconds: bounded(doc.max_duration_seconds, 3600, true) ? doc.max_duration_seconds : defaultLoadTestLimits.max_duration_seconds,
    max_requests: bounded(doc.max_requests, 10_000_000, true) ? doc.max_requests : defaultLoadTestLimits.max_requests,
  };
}
