import { PharosError, type FieldError } from '../../contract/errors.ts';
import type { LoadTestInput } from '../../contract/load-test.schema.ts';
import type { LoadTestLimits } from './load-test-settings.ts';
import { splitRequests } from './load-test.figures.ts';

// Pure guard rails of a load test: the shape rules the schema cannot say, the host rule, the limits.

const settingsHint = 'or ask an org admin to raise the limit (PUT /v1/load-test-settings)';

/** Exactly one target (monitor_id, or service_id with request) and exactly one of requests / duration_seconds. */
export function shapeErrors(input: LoadTestInput): FieldError[] {
  const errors: FieldError[] = [];
  if (input.monitor_id !== undefined) {
    if (input.service_id !== undefined) errors.push({ pointer: '/service_id', message: 'Give monitor_id or service_id with request, not both: a monitor test runs against the monitor\'s own service.' });
    if (input.request !== undefined) errors.push({ pointer: '/request', message: 'A monitor test reuses the monitor\'s request; drop request, or drop monitor_id and give service_id with request.' });
  } else {
    if (input.service_id === undefined) errors.push({ pointer: '/service_id', message: 'Give a target: monitor_id (an http monitor), or service_id with request.' });
    if (input.request === undefined) errors.push({ pointer: '/request', message: 'A service test needs the request to send (at least url).' });
  }
  if ((input.requests === undefined) === (input.duration_seconds === undefined)) {
    errors.push({ pointer: input.requests === undefined ? '/requests' : '/duration_seconds', message: 'Give exactly one of requests (total over all regions) or duration_seconds.' });
  }
  if (input.requests !== undefined && input.requests < input.regions.length) {
    errors.push({ pointer: '/requests', message: `Give at least one request per region (${input.regions.length} regions).` });
  }
  return errors;
}

/** The host of a URL, lower case (IPv6 in brackets); undefined when the text is no absolute URL. */
export function hostOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.hostname ? u.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a host is declared: a host of the service's monitors, or on the allow-list (exact, or "*.domain" for hosts under it). */
export function hostAllowed(host: string, declared: ReadonlySet<string>, allowList: readonly string[]): boolean {
  if (declared.has(host)) return true;
  return allowList.some((entry) => (entry.startsWith('*.') ? host.endsWith(entry.slice(1)) && host.length > entry.length - 1 : entry === host));
}

/** Seconds a test may run: its duration, or the organization's longest for a requests-bounded test. */
export const plannedSeconds = (input: LoadTestInput, limits: LoadTestLimits): number => input.duration_seconds ?? limits.max_duration_seconds;

/** The rate each region sends at: the one asked for, else the organization's max_rate_per_second (a test is never unlimited). */
export const effectiveRate = (input: LoadTestInput, limits: LoadTestLimits): number => input.rate_per_second ?? limits.max_rate_per_second;

/** The organization's limits against the input; throws load_test_limit_exceeded naming each field over its limit. */
export function checkLimits(input: LoadTestInput, limits: LoadTestLimits): void {
  const errors: FieldError[] = [];
  if (input.concurrency > limits.max_concurrency) errors.push({ pointer: '/concurrency', message: `concurrency ${input.concurrency} is over this organization's max_concurrency ${limits.max_concurrency} (per region); lower it, ${settingsHint}.` });
  if (input.rate_per_second !== undefined && input.rate_per_second > limits.max_rate_per_second) {
    errors.push({ pointer: '/rate_per_second', message: `rate_per_second ${input.rate_per_second} is over this organization's max_rate_per_second ${limits.max_rate_per_second} (per region); lower it, ${settingsHint}.` });
  }
  if (input.duration_seconds !== undefined && input.duration_seconds > limits.max_duration_seconds) {
    errors.push({ pointer: '/duration_seconds', message: `duration_seconds ${input.duration_seconds} is over this organization's max_duration_seconds ${limits.max_duration_seconds}; shorten it, ${settingsHint}.` });
  }
  if (input.requests !== undefined) {
    if (input.requests > limits.max_requests) errors.push({ pointer: '/requests', message: `requests ${input.requests} is over this organization's max_requests ${limits.max_requests}; lower it, ${settingsHint}.` });
    const perRegion = Math.max(...splitRequests(input.requests, input.regions.length));
    const rate = effectiveRate(input, limits);
    if (perRegion / rate > limits.max_duration_seconds) {
      errors.push({ pointer: '/requests', message: `${perRegion} requests per region at ${rate}/s take ${Math.ceil(perRegion / rate)} s, over this organization's max_duration_seconds ${limits.max_duration_seconds}; lower requests or raise rate_per_second, ${settingsHint}.` });
    }
  }
  if (errors.length) throw new PharosError('load_test_limit_exceeded', `The load test exceeds this organization's limits: ${errors.map((e) => e.message).join(' ')}`, errors);
}
