import { record, type SparseHistogram } from '../../../api/src/contract/load-test-histogram.ts';

/** What a load-test share has done so far, cumulative: the counting part of a LoadTestProgress. */
export interface LoadTally {
  requests: number;
  errors: number;
  status_codes: Record<string, number>;
  errors_by_code: Record<string, number>;
  histogram: SparseHistogram;
  max_us: number;
}

export const emptyTally = (): LoadTally => ({ requests: 0, errors: 0, status_codes: {}, errors_by_code: {}, histogram: {}, max_us: 0 });

/**
 * An answered request: its latency (send to last body byte) goes into the histogram; a status of 400
 * or more also counts as an error, under "http_<status>" like the figures of the public resource.
 */
export function recordAnswer(tally: LoadTally, status: number, latencyUs: number): void {
  tally.requests += 1;
  const key = String(status);
  tally.status_codes[key] = (tally.status_codes[key] ?? 0) + 1;
  record(tally.histogram, latencyUs);
  if (latencyUs > tally.max_us) tally.max_us = Math.round(latencyUs);
  if (status >= 400) {
    tally.errors += 1;
    const code = `http_${status}`;
    tally.errors_by_code[code] = (tally.errors_by_code[code] ?? 0) + 1;
  }
}

/** A request without an answer (timeout, refused, reset, TLS…), by the runner's failure code; no latency. */
export function recordFailure(tally: LoadTally, code: string): void {
  tally.requests += 1;
  tally.errors += 1;
  tally.errors_by_code[code] = (tally.errors_by_code[code] ?? 0) + 1;
}

/** A deep copy (the wire form is plain data, so structuredClone would do; this is cheaper). */
export function copyTally(tally: LoadTally): LoadTally {
  return { ...tally, status_codes: { ...tally.status_codes }, errors_by_code: { ...tally.errors_by_code }, histogram: { ...tally.histogram } };
}
