import { sql } from 'kysely';
import type { CheckResult } from '../../contract/result.schema.ts';
import { bucketIndex, latencyBucketCount } from '../../contract/latency-buckets.ts';
import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ResultRollupsTable } from '../../db/tables.ts';
import { MetricRollupRepository } from '../metrics/metric-rollup.repository.ts';

export interface StoredResultInput {
  orgId: string;
  runnerId: string | null;
  result: CheckResult;
}

/** A rollup row as computed in memory (the bucket start as ISO text, ready for JSON). */
type Rollup = Omit<Selectable<ResultRollupsTable>, 'bucket_start'> & { bucket_start: string };

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** Per-minute and per-hour aggregates of results: counts by status, latency sum, max and histogram. */
export function rollupsOf(inputs: readonly StoredResultInput[]): Rollup[] {
  const map = new Map<string, Rollup>();
  for (const { orgId, result } of inputs) {
    const t = Date.parse(result.started_at);
    for (const [resolution, size] of [['minute', MINUTE], ['hour', HOUR]] as const) {
      const bucket = new Date(Math.floor(t / size) * size).toISOString();
      const key = `${result.monitor_id}|${result.region}|${resolution}|${bucket}`;
      let r = map.get(key);
      if (!r) {
        r = { org_id: orgId, monitor_id: result.monitor_id, region: result.region, resolution, bucket_start: bucket, checks: 0, up: 0, degraded: 0, down: 0, sum_ms: 0, max_ms: 0, histogram: new Array<number>(latencyBucketCount).fill(0) };
        map.set(key, r);
      }
      r.checks += 1;
      r[result.status] += 1;
      r.sum_ms += result.duration_ms;
      r.max_ms = Math.max(r.max_ms, result.duration_ms);
      r.histogram[bucketIndex(result.duration_ms)]! += 1;
    }
  }
  return [...map.values()];
}

/** SQL for raw results and their rollups. */
export class ResultRepository {
  constructor(private readonly metricRollups: MetricRollupRepository = new MetricRollupRepository()) {}

  /**
   * Inserts results; returns the ids that were new (a repeated id is skipped, never stored twice).
   * The batch travels as one JSON parameter (jsonb_to_recordset, like the other ingest statements)
   * rather than 14 bound values per row: a batch of 250 was 3,500 parameters for the query builder
   * to compile and for PostgreSQL to bind.
   */
  async insert(db: Db, inputs: readonly StoredResultInput[]): Promise<Set<string>> {
    if (inputs.length === 0) return new Set();
    const receivedAt = new Date().toISOString();
    const rows = inputs.map(({ orgId, runnerId, result: r }) => ({
      id: r.id, org_id: orgId, monitor_id: r.monitor_id, region: r.region, runner_id: runnerId, started_at: r.started_at, status: r.status,
      duration_ms: r.duration_ms, status_code: r.status_code ?? null, error_code: r.error?.code ?? null, trace_id: r.trace_id ?? null,
      confirmation: r.confirmation ?? false,
      detail: {
        ...(r.timings ? { timings: r.timings } : {}), ...(r.error ? { error: r.error } : {}), ...(r.assertions ? { assertions: r.assertions } : {}),
        ...(r.steps ? { steps: r.steps } : {}), ...(r.metrics ? { metrics: r.metrics } : {}), ...(r.details ? { details: r.details } : {}),
      },
      received_at: receivedAt,
    }));
    const { rows: inserted } = await sql<{ id: string }>`
      INSERT INTO check_results (id, org_id, monitor_id, region, runner_id, started_at, status, duration_ms, status_code, error_code, trace_id, confirmation, detail, received_at)
      SELECT x.id, x.org_id, x.monitor_id, x.region, x.runner_id, x.started_at, x.status, x.duration_ms, x.status_code, x.error_code, x.trace_id, x.confirmation, x.detail, x.received_at
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id text, org_id text, monitor_id text, region text, runner_id text, started_at timestamptz, status text,
           duration_ms real, status_code integer, error_code text, trace_id text, confirmation boolean, detail jsonb, received_at timestamptz)
      ON CONFLICT (started_at, id) DO NOTHING
      RETURNING id`.execute(db);
    return new Set(inserted.map((r) => r.id));
  }

  /**
   * Adds aggregates into the rollup rows (one upsert for the whole batch). Histograms travel as JSON
   * arrays read straight into integer[] and are summed element-wise by subscript: a third of the
   * cost of pharos_add_histograms (unnest, then array_agg ORDER BY: a sort per row), which made this
   * upsert the costliest statement of ingest (npm run bench:runner). A stored histogram shorter than
   * today's bucket list (the list only grows at the end) counts as zeros.
   */
  async addRollups(db: Db, inputs: readonly StoredResultInput[]): Promise<void> {
    const rollups = rollupsOf(inputs);
    if (rollups.length === 0) return;
    // Health-endpoint metrics of the same results, in the same transaction (one more statement per batch).
    await this.metricRollups.add(db, inputs);
    await sql`
      INSERT INTO result_rollups (org_id, monitor_id, region, resolution, bucket_start, checks, up, degraded, down, sum_ms, max_ms, histogram)
      SELECT x.org_id, x.monitor_id, x.region, x.resolution, x.bucket_start, x.checks, x.up, x.degraded, x.down, x.sum_ms, x.max_ms, x.histogram
      FROM jsonb_to_recordset(${JSON.stringify(rollups)}::jsonb) AS x(org_id text, monitor_id text, region text, resolution text, bucket_start timestamptz,
           checks integer, up integer, degraded integer, down integer, sum_ms double precision, max_ms real, histogram integer[])
      ON CONFLICT (monitor_id, region, resolution, bucket_start) DO UPDATE SET
        checks = result_rollups.checks + excluded.checks,
        up = result_rollups.up + excluded.up,
        degraded = result_rollups.degraded + excluded.degraded,
        down = result_rollups.down + excluded.down,
        sum_ms = result_rollups.sum_ms + excluded.sum_ms,
        max_ms = greatest(result_rollups.max_ms, excluded.max_ms),
        histogram = ARRAY(SELECT coalesce(result_rollups.histogram[i], 0) + coalesce(excluded.histogram[i], 0)
                          FROM generate_series(1, greatest(cardinality(result_rollups.histogram), cardinality(excluded.histogram))) AS i)`.execute(db);
  }

  /** A page of a monitor's results, newest first. */
  async page(db: Db, orgId: string, monitorId: string, f: { region?: string | undefined; from?: string | undefined; to?: string | undefined; statuses?: string[] | undefined; before?: { at: string; id: string } | undefined; limit: number }) {
    let q = db.selectFrom('check_results').selectAll().where('org_id', '=', orgId).where('monitor_id', '=', monitorId);
    if (f.region) q = q.where('region', '=', f.region);
    if (f.statuses && f.statuses.length > 0) q = q.where('status', 'in', f.statuses);
    if (f.from) q = q.where('started_at', '>=', new Date(f.from));
    if (f.to) q = q.where('started_at', '<', new Date(f.to));
    if (f.before) {
      const before = f.before;
      q = q.where((eb) => eb.or([eb('started_at', '<', new Date(before.at)), eb.and([eb('started_at', '=', new Date(before.at)), eb('id', '<', before.id)])]));
    }
    return q.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(f.limit + 1).execute();
  }
}
