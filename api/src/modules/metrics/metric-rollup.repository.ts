import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { StoredResultInput } from '../results/result.repository.ts';

const MINUTE = 60_000;

/** One metric_rollups row as computed in memory from a batch (times as ISO text, ready for JSON). */
export interface MetricRollup {
  org_id: string;
  monitor_id: string;
  region: string;
  metric: string;
  bucket_start: string;
  min: number;
  max: number;
  sum: number;
  count: number;
  last_value: number;
  last_at: string;
}

/** Aggregate of a metric over a window: what the alert functions metric(…) and max/min/avg(metric(…), "1m") read. */
export interface MetricWindow {
  count: number;
  min: number;
  max: number;
  avg: number;
  last: number;
  last_at: string;
}

/** One step of a series, across regions unless a region was asked for. */
export interface MetricStepRow {
  metric: string;
  at: string;
  min: number;
  max: number;
  sum: number;
  count: number;
  last: number;
  last_at: string;
}

/** Per-minute aggregates of the metrics of a batch of results, one per monitor × region × metric × minute. */
export function metricRollupsOf(inputs: readonly StoredResultInput[]): MetricRollup[] {
  const map = new Map<string, MetricRollup>();
  for (const { orgId, result } of inputs) {
    if (!result.metrics) continue;
    const t = Date.parse(result.started_at);
    const bucket = new Date(Math.floor(t / MINUTE) * MINUTE).toISOString();
    const at = new Date(t).toISOString();
    for (const [metric, value] of Object.entries(result.metrics)) {
      const key = `${result.monitor_id}|${result.region}|${metric}|${bucket}`;
      const r = map.get(key);
      if (!r) {
        map.set(key, { org_id: orgId, monitor_id: result.monitor_id, region: result.region, metric, bucket_start: bucket, min: value, max: value, sum: value, count: 1, last_value: value, last_at: at });
        continue;
      }
      r.min = Math.min(r.min, value);
      r.max = Math.max(r.max, value);
      r.sum += value;
      r.count += 1;
      // Results of a batch may arrive out of order (a runner's spool); "last" is the latest check.
      if (at >= r.last_at) {
        r.last_value = value;
        r.last_at = at;
      }
    }
  }
  return [...map.values()];
}

/** The first minute bucket that overlaps a window of `windowMs` ending at `now`. */
export function windowStart(now: number, windowMs: number): number {
  return Math.floor((now - windowMs) / MINUTE) * MINUTE;
}

const num = (v: unknown) => Number(v);
const isoOf = (v: unknown) => (v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());

/** SQL of metric_rollups: the ingest upsert and the reads behind the API and the alert evaluator. */
export class MetricRollupRepository {
  /**
   * Adds a batch's metric values into the minute rows: one statement for the whole batch (the
   * rows travel as one JSON parameter, like the latency rollups), never one per metric.
   */
  async add(db: Db, inputs: readonly StoredResultInput[]): Promise<void> {
    const rollups = metricRollupsOf(inputs);
    if (rollups.length === 0) return;
    await sql`
      INSERT INTO metric_rollups (org_id, monitor_id, region, metric, bucket_start, min, max, sum, count, last_value, last_at)
      SELECT x.org_id, x.monitor_id, x.region, x.metric, x.bucket_start, x.min, x.max, x.sum, x.count, x.last_value, x.last_at
      FROM jsonb_to_recordset(${JSON.stringify(rollups)}::jsonb) AS x(org_id text, monitor_id text, region text, metric text, bucket_start timestamptz,
           min double precision, max double precision, sum double precision, count integer, last_value double precision, last_at timestamptz)
      ORDER BY x.monitor_id, x.metric, x.bucket_start, x.region
      ON CONFLICT (monitor_id, metric, bucket_start, region) DO UPDATE SET
        min = least(metric_rollups.min, excluded.min),
        max = greatest(metric_rollups.max, excluded.max),
        sum = metric_rollups.sum + excluded.sum,
        count = metric_rollups.count + excluded.count,
        last_value = CASE WHEN excluded.last_at >= metric_rollups.last_at THEN excluded.last_value ELSE metric_rollups.last_value END,
        last_at = greatest(metric_rollups.last_at, excluded.last_at)`.execute(db);
  }

  /**
   * min, max, avg, last and count of one metric over the minute buckets that overlap the window
   * [now − windowMs, now] (so a "1m" window spans one to two minutes of samples), across regions
   * unless `region` is given; undefined when the window holds no sample.
   */
  async metricWindow(db: Db, orgId: string, monitorId: string, metric: string, windowMs: number, region?: string, now = Date.now()): Promise<MetricWindow | undefined> {
    let q = db
      .selectFrom('metric_rollups')
      .select([
        sql<number>`min(min)`.as('min'), sql<number>`max(max)`.as('max'), sql<number>`sum(sum)`.as('sum'), sql<number>`coalesce(sum(count), 0)`.as('count'),
        sql<number>`(array_agg(last_value ORDER BY last_at DESC))[1]`.as('last'), sql<Date>`max(last_at)`.as('last_at'),
      ])
      .where('org_id', '=', orgId)
      .where('monitor_id', '=', monitorId)
      .where('metric', '=', metric)
      .where('bucket_start', '>=', new Date(windowStart(now, windowMs)))
      .where('bucket_start', '<=', new Date(now));
    if (region) q = q.where('region', '=', region);
    const row = await q.executeTakeFirst();
    const count = num(row?.count ?? 0);
    if (!row || count === 0) return undefined;
    return { count, min: num(row.min), max: num(row.max), avg: num(row.sum) / count, last: num(row.last), last_at: isoOf(row.last_at) };
  }

  /** Steps of `stepMs` (a multiple of a minute, aligned to the epoch) in [fromMs, toMs), per metric, oldest first. */
  async series(db: Db, orgId: string, monitorId: string, f: { fromMs: number; toMs: number; stepMs: number; region?: string | undefined; metric?: string | undefined }): Promise<MetricStepRow[]> {
    const stepSeconds = f.stepMs / 1000;
    const at = sql<Date>`to_timestamp(floor(extract(epoch from bucket_start) / ${stepSeconds}) * ${stepSeconds})`;
    let q = db
      .selectFrom('metric_rollups')
      .select([
        'metric', at.as('at'), sql<number>`min(min)`.as('min'), sql<number>`max(max)`.as('max'), sql<number>`sum(sum)`.as('sum'), sql<number>`sum(count)`.as('count'),
        sql<number>`(array_agg(last_value ORDER BY last_at DESC))[1]`.as('last'), sql<Date>`max(last_at)`.as('last_at'),
      ])
      .where('org_id', '=', orgId)
      .where('monitor_id', '=', monitorId)
      .where('bucket_start', '>=', new Date(f.fromMs))
      .where('bucket_start', '<', new Date(f.toMs));
    if (f.region) q = q.where('region', '=', f.region);
    if (f.metric) q = q.where('metric', '=', f.metric);
    const rows = await q.groupBy(['metric', sql`2`]).orderBy('metric').orderBy(sql`2`).execute();
    return rows.map((r) => ({ metric: r.metric, at: isoOf(r.at), min: num(r.min), max: num(r.max), sum: num(r.sum), count: num(r.count), last: num(r.last), last_at: isoOf(r.last_at) }));
  }

  /** The monitor's team (for the access check) and its declared metrics; undefined when it is not in the organization. */
  async monitorMetricsSpec(db: Db, orgId: string, monitorId: string): Promise<{ teamId: string | null; metrics: Array<{ name: string; path: string }> } | undefined> {
    const row = await db
      .selectFrom('monitors')
      .select(['team_id', sql<Array<{ name: string; path: string }> | null>`spec->'http'->'metrics'`.as('metrics')])
      .where('org_id', '=', orgId)
      .where('id', '=', monitorId)
      .executeTakeFirst();
    return row ? { teamId: row.team_id, metrics: row.metrics ?? [] } : undefined;
  }

}
