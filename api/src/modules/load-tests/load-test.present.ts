import type { LoadTest, LoadTestProgress } from '../../contract/load-test.schema.ts';
import { iso } from '../resources/versioning.ts';
import { overallFigures, regionFigures, regionProgress, type Report } from './load-test.figures.ts';
import { loadTestSpecOf } from './load-test-spec.ts';
import type { LoadTestRow, ShareRow } from './load-test.repository.ts';

/** The report stored on a share, or null before the first one. */
export const reportOf = (share: ShareRow): Report | null => (share.report ? (share.report as unknown as LoadTestProgress) : null);

/** The response document of a load test: its plan, state, per-region and overall figures, verdict. Never its secret headers. */
export function presentLoadTest(row: LoadTestRow, shares: readonly ShareRow[]): LoadTest {
  const spec = loadTestSpecOf(row.spec);
  const reports = shares.map(reportOf);
  const byRegion = spec.regions.map((region) => {
    const share = shares.find((s) => s.region === region);
    return {
      region,
      state: (share?.state ?? 'error') as LoadTest['by_region'][number]['state'],
      runner_id: share?.runner_id ?? null,
      ...(share?.message ? { message: share.message } : {}),
      ...regionFigures(share ? reportOf(share) : null),
    };
  });
  // A region counts as complete once done; an aborted or failed one as far as its last report got.
  const progress = row.state === 'passed' || row.state === 'failed'
    ? 1
    : shares.length === 0 ? 0 : shares.reduce((a, s) => a + regionProgress({ requests: s.requests, durationSeconds: spec.durationSeconds }, reportOf(s), s.state === 'done'), 0) / shares.length;
  const createdBy = row.created_by as { name?: unknown };
  return {
    id: row.id,
    team_id: row.team_id,
    service_id: row.service_id,
    monitor_id: row.monitor_id,
    state: row.state as LoadTest['state'],
    request: spec.request,
    regions: spec.regions,
    requests: spec.requests,
    duration_seconds: spec.durationSeconds,
    concurrency: spec.concurrency,
    rate_per_second: spec.ratePerSecond,
    timeout_ms: spec.timeoutMs,
    criteria: spec.criteria,
    progress: Math.round(progress * 10_000) / 10_000,
    verdict: (row.verdict ?? null) as LoadTest['verdict'],
    verdict_reasons: Array.isArray(row.verdict_reasons) ? row.verdict_reasons : [],
    overall: overallFigures(reports),
    by_region: byRegion,
    created_by: typeof createdBy.name === 'string' ? createdBy.name : '',
    created_at: iso(row.created_at)!,
    started_at: iso(row.started_at) ?? null,
    finished_at: iso(row.finished_at) ?? null,
  };
}
