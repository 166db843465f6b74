import type { MonitorAssertion } from '../generated/providers/pharos/monitor';

/** What a healthy HTTP answer looks like; turned into `assertion { … }` blocks by httpAssertions. */
export interface HttpExpectations {
  /** Expected status code. Default: 200. */
  readonly status?: number;
  /**
   * A passing check slower than this many milliseconds is degraded, not down (a `response_time`
   * assertion with severity "degraded"). Default: 500; 0 leaves response time unchecked.
   */
  readonly degradedAfterMs?: number;
  /** Text the response body must contain. */
  readonly bodyContains?: string;
  /** JSON body values that must match exactly: JSONPath to expected value, e.g. `{ '$.status': 'ok' }`. */
  readonly json?: { readonly [jsonPath: string]: string };
}

/** Default expectations of every ServiceMonitors check: status 200, degraded above 500 ms. */
export const defaultExpectations = { status: 200, degradedAfterMs: 500 } as const;

/** The assertion blocks for a set of expectations, status first; unset fields take the defaults. */
export function httpAssertions(expect: HttpExpectations = {}): MonitorAssertion[] {
  const status = expect.status ?? defaultExpectations.status;
  const degradedAfterMs = expect.degradedAfterMs ?? defaultExpectations.degradedAfterMs;
  const assertions: MonitorAssertion[] = [{ source: 'status_code', operator: 'equals', target: String(status) }];
  if (expect.bodyContains !== undefined) assertions.push({ source: 'body', operator: 'contains', target: expect.bodyContains });
  for (const path of Object.keys(expect.json ?? {}).sort()) {
    assertions.push({ source: 'json_body', path, operator: 'equals', target: expect.json![path] });
  }
  if (degradedAfterMs > 0) {
    assertions.push({ source: 'response_time', operator: 'less_than', target: String(degradedAfterMs), severity: 'degraded' });
  }
  return assertions;
}
