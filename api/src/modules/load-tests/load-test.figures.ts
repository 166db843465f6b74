import type { Static } from '@sinclair/typebox';
import { maxBucket, merge, quantileMs, type SparseHistogram } from '../../contract/load-test-histogram.ts';
import type { LoadTestCriteria, LoadTestFigures, LoadTestProgress } from '../../contract/load-test.schema.ts';

// Pure figures of a load test: per-region figures from each runner's latest cumulative report, the
// overall figures from the merged histograms, progress, and the verdict against the criteria.

export type Figures = Static<typeof LoadTestFigures>;
export type Criteria = Static<typeof LoadTestCriteria>;
/** The part of a progress report the figures read (the stored report). */
export type Report = Pick<LoadTestProgress, 'elapsed_ms' | 'requests' | 'errors' | 'status_codes' | 'errors_by_code' | 'histogram' | 'max_us'>;

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

const addCounts = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
};

/** Histogram entries of a report that name a real bucket (a report is validated, but a stored row may be old). */
function histogramOf(report: Report): SparseHistogram {
  const h: SparseHistogram = {};
  for (const [k, n] of Object.entries(report.histogram ?? {})) if (Number(k) <= maxBucket && n > 0) h[k] = n;
  return h;
}

function figures(requests: number, errors: number, rps: number | null, histogram: SparseHistogram, maxUs: number, statusCodes: Record<string, number>, errorsByCode: Record<string, number>): Figures {
  const q = (p: number) => quantileMs(histogram, p);
  const any = Object.keys(histogram).length > 0;
  return {
    requests,
    errors,
    error_rate: requests > 0 ? round(errors / requests, 6) : null,
    requests_per_second: rps === null ? null : round(rps, 2),
    latency: { p50_ms: q(0.5), p90_ms: q(0.9), p95_ms: q(0.95), p99_ms: q(0.99), max_ms: any ? maxUs / 1000 : null },
    status_codes: statusCodes,
    errors_by_code: errorsByCode,
  };
}

/** Figures of one region from its runner's latest report (zeros before the first one). */
export function regionFigures(report: Report | null): Figures {
  if (!report) return figures(0, 0, null, {}, 0, {}, {});
  const rps = report.elapsed_ms > 0 ? report.requests / (report.elapsed_ms / 1000) : null;
  return figures(report.requests, report.errors, rps, histogramOf(report), report.max_us, { ...report.status_codes }, { ...report.errors_by_code });
}

/**
 * Figures of every region together: counts summed, histograms merged (so percentiles are of all
 * requests, not averages of regions' percentiles), requests/s summed (regions load at the same time).
 */
export function overallFigures(reports: ReadonlyArray<Report | null>): Figures {
  const histogram: SparseHistogram = {};
  const statusCodes: Record<string, number> = {};
  const errorsByCode: Record<string, number> = {};
  let requests = 0, errors = 0, maxUs = 0, rps: number | null = null;
  for (const r of reports) {
    if (!r) continue;
    requests += r.requests;
    errors += r.errors;
    maxUs = Math.max(maxUs, r.max_us);
    merge(histogram, histogramOf(r));
    addCounts(statusCodes, r.status_codes);
    addCounts(errorsByCode, r.errors_by_code);
    if (r.elapsed_ms > 0) rps = (rps ?? 0) + r.requests / (r.elapsed_ms / 1000);
  }
  return figures(requests, errors, rps, histogram, maxUs, statusCodes, errorsByCode);
}

/** Share of a region's plan done: its requests of the planned requests, or its elapsed time of the duration; 1 once final. */
export function regionProgress(plan: { requests: number | null; durationSeconds: number | null }, report: Report | null, final: boolean): number {
  if (final) return 1;
  if (!report) return 0;
  const done = plan.requests ? report.requests / plan.requests : plan.durationSeconds ? report.elapsed_ms / (plan.durationSeconds * 1000) : 0;
  return Math.min(1, Math.max(0, round(done, 4)));
}

/** Pass or fail against the criteria, with a reason per criterion missed. No completed request is a failure. */
export function verdictOf(criteria: Criteria, overall: Figures): { verdict: 'pass' | 'fail'; reasons: string[] } {
  const reasons: string[] = [];
  if (overall.requests === 0) reasons.push('no request completed');
  else {
    const p95 = overall.latency.p95_ms;
    if (criteria.p95_below_ms !== undefined && p95 !== null && !(p95 < criteria.p95_below_ms)) reasons.push(`p95 ${p95} ms is not below ${criteria.p95_below_ms} ms`);
    if (criteria.p95_below_ms !== undefined && p95 === null) reasons.push('no latency was measured (every request failed before an answer)');
    const rate = overall.error_rate ?? 0;
    if (criteria.error_rate_below !== undefined && !(rate < criteria.error_rate_below)) reasons.push(`error rate ${rate} (${overall.errors} of ${overall.requests}) is not below ${criteria.error_rate_below}`);
  }
  return { verdict: reasons.length ? 'fail' : 'pass', reasons };
}

/** Splits total requests over regions as evenly as possible (the first regions take the remainder). */
export function splitRequests(total: number, regions: number): number[] {
  const base = Math.floor(total / regions);
  return Array.from({ length: regions }, (_, i) => base + (i < total % regions ? 1 : 0));
}
