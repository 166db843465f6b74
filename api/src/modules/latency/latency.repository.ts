import { sql } from 'kysely';
import { latencyBucketCount } from '../../contract/latency-buckets.ts';
import type { Db } from '../../db/database.ts';
import type { StepTotals } from './latency.series.ts';
import { rollupTotals } from '../sla/sla.repository.ts';

/** A Postgres bigint[] as numbers, whether the driver parsed it or left it as text ("{1,2,3}"). */

/** SQL of the latency series: result_rollups only, never raw results; scoped by organization. */
export class LatencyRepository {
  async monitor(db: Db, orgId: string, id: string): Promise<{ id: string; team_id: string; regions: string[] } | undefined> {
    const row = await db.selectFrom('monitors').select(['id', 'team_id', sql<string[] | null>`spec -> 'regions'`.as('regions')]).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return row && { id: row.id, team_id: row.team_id, regions: Array.isArray(row.regions) ? row.regions : [] };
  }

  /**
   * Rollup sums per region and step for buckets starting in [from, to) (hours from the view
   * result_rollup_hours, which counts minute rows of hours not built yet): steps are aligned to
   * multiples of the step since the epoch, histograms summed element-wise in one pass.
   */
  async steps(db: Db, orgId: string, monitorId: string, resolution: 'minute' | 'hour', from: Date, to: Date, stepMs: number, region?: string): Promise<StepTotals[]> {
    const stepSeconds = Math.round(stepMs / 1000);
    const buckets = sql.join(Array.from({ length: latencyBucketCount }, (_, i) => sql`coalesce(sum(r.histogram[${sql.lit(i + 1)}]), 0)`));
    const result = await sql<{ region: string; slot: string | number; checks: string; up: string; degraded: string; down: string; sum_ms: number | string; max_ms: number | string; histogram: Array<number | string> | string }>`
      SELECT r.region, floor(extract(epoch FROM r.bucket_start) / ${sql.lit(stepSeconds)})::bigint AS slot,
             sum(r.checks) AS checks, sum(r.up) AS up, sum(r.degraded) AS degraded, sum(r.down) AS down,
             sum(r.sum_ms) AS sum_ms, max(r.max_ms) AS max_ms, ARRAY[${buckets}]::bigint[] AS histogram
      FROM ${resolution === 'hour' ? sql`result_rollup_hours r WHERE` : sql`result_rollups r WHERE r.resolution = 'minute' AND`} r.org_id = ${orgId}
        AND r.monitor_id = ${monitorId}
        AND r.bucket_start >= ${from.toISOString()}::timestamptz
        AND r.bucket_start < ${to.toISOString()}::timestamptz
        ${region === undefined ? sql`` : sql`AND r.region = ${region}`}
      GROUP BY r.region, slot`.execute(db);
    return result.rows.map((r) => ({
      region: r.region,
      stepStart: Number(r.slot) * stepSeconds * 1000,
      ...rollupTotals(r),
    }));
  }
}
