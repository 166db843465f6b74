import { sql } from 'kysely';
import type { CheckResult } from '../../contract/result.schema.ts';
import { bucketIndex, latencyBucketCount } from '../../contract/latency-buckets.ts';
import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ResultRollupsTable } from '../../db/tables.ts';
import { MetricRollupRepository } from '../metrics/metric-rollup.repository.ts';
import { prepared } from '../../db/prepared-statements.ts';
import { HOURS_BUILT_FOR_WRITERS } from './rollup-hours.repository.ts';
import { ROLLUP_CONFLICT, sqlBuckets as buckets } from './rollup-upsert.sql.ts';
import { slotStateKey, slotStatesByKey, type SlotStateRow } from '../state/state.repository.ts';

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

/** The columns of a result row as ingest sends them (jsonb_to_recordset's column list). */
const RESULT_COLUMNS = sql.raw(`id text, org_id text, monitor_id text, region text, runner_id text, started_at timestamptz, status text,
  duration_ms double precision, status_code integer, error_code text, trace_id text, confirmation boolean, detail jsonb, received_at timestamptz`);

/** The columns of a result row that differ within one runner's batch (the others are one parameter each). */
const BATCH_COLUMNS = sql.raw(`id text, monitor_id text, region text, started_at timestamptz, status text,
  duration_ms double precision, status_code integer, error_code text, trace_id text, confirmation boolean, detail jsonb`);

/** A histogram aggregated from the 1-based bucket numbers b of a group's rows: one count per bucket, in one pass. */
const HISTOGRAM_OF_B = sql.raw(`ARRAY[${buckets.map((i) => `count(*) FILTER (WHERE x.b = ${i})`).join(', ')}]::integer[]`);

/**
 * Results as check_results rows, ready for JSON. The batch travels as one JSON parameter
 * (jsonb_to_recordset) rather than 14 bound values per row: a batch of 250 was 3,500 parameters for
 * the query builder to compile and for PostgreSQL to bind.
 */
function resultRows(inputs: readonly StoredResultInput[]) {
  const receivedAt = new Date().toISOString();
  return inputs.map(({ orgId, runnerId, result }) => ({ ...resultFields(result), org_id: orgId, runner_id: runnerId, received_at: receivedAt }));
}

/** What a result row holds of the result itself (BATCH_COLUMNS). */
function resultFields(r: CheckResult) {
  return {
    id: r.id, monitor_id: r.monitor_id, region: r.region, started_at: r.started_at, status: r.status,
    duration_ms: r.duration_ms, status_code: r.status_code ?? null, error_code: r.error?.code ?? null, trace_id: r.trace_id ?? null,
    confirmation: r.confirmation ?? false,
    detail: {
      ...(r.timings ? { timings: r.timings } : {}), ...(r.error ? { error: r.error } : {}), ...(r.assertions ? { assertions: r.assertions } : {}),
      ...(r.steps ? { steps: r.steps } : {}), ...(r.metrics ? { metrics: r.metrics } : {}), ...(r.details ? { details: r.details } : {}),
    },
  };
}

/** SQL for raw results and their rollups. */
export class ResultRepository {
  constructor(private readonly metricRollups: MetricRollupRepository = new MetricRollupRepository()) {}

  /** Inserts results; returns the ids that were new (a repeated id is skipped, never stored twice). */
  async insert(db: Db, inputs: readonly StoredResultInput[]): Promise<Set<string>> {
    if (inputs.length === 0) return new Set();
    const { rows: inserted } = await sql<{ id: string }>`
      INSERT INTO check_results (id, org_id, monitor_id, region, runner_id, started_at, status, duration_ms, status_code, error_code, trace_id, confirmation, detail, received_at)
      SELECT x.id, x.org_id, x.monitor_id, x.region, x.runner_id, x.started_at, x.status, x.duration_ms, x.status_code, x.error_code, x.trace_id, x.confirmation, x.detail, x.received_at
      FROM jsonb_to_recordset(${JSON.stringify(resultRows(inputs))}::jsonb) AS x(${RESULT_COLUMNS})
      ON CONFLICT (started_at, id) DO NOTHING
      RETURNING id`.execute(db);
    return new Set(inserted.map((r) => r.id));
  }

  /**
   * Inserts results, adds the new ones into their minute rollups (and into their hour rollups when
   * they are older than the hour-rollup watermark: the job builds the other hours from the minute rows) and locks the state rows
   * of the batch's slots that got new results, in one statement (the rollups are aggregated in SQL from the rows the
   * insert returned, so a repeated id adds nothing; the slot rows are locked in the order
   * StateRepository.lockSlots takes them), and moves the slots that stay up (up, with only newer up
   * results) in SQL; returns the ids that were new, the keys of those steady slots and the locked
   * states of the other slots, which StateService evaluates. What ingest runs per batch: one round trip of a prepared statement with one JSON
   * document, instead of an insert, a rollup upsert and a slot lock with a document each. Health
   * metrics of the new results go to their own rollups in the same transaction.
   */
  async insertWithRollups(db: Db, inputs: readonly StoredResultInput[]): Promise<{ fresh: Set<string>; slots: Map<string, SlotStateRow>; steady: Set<string> }> {
    if (inputs.length === 0) return { fresh: new Set(), slots: new Map(), steady: new Set() };
    // One runner's batch: its organization, runner and arrival time are one parameter each, not a
    // field of every row (a sixth of the document's bytes). b: the latency bucket of each result, 1-based like SQL arrays.
    const { orgId, runnerId } = inputs[0]!;
    if (inputs.some((i) => i.orgId !== orgId || i.runnerId !== runnerId)) throw new Error('insertWithRollups takes one runner\'s batch of one organization');
    const rows = inputs.map(({ result }) => ({ ...resultFields(result), b: bucketIndex(result.duration_ms) + 1 }));
    const { rows: [out] } = await sql<{ ids: string[]; slots: Array<Record<string, unknown>>; steady: Array<[string, string]> }>`${prepared}
      WITH x AS (
        SELECT x.*, ${orgId}::text AS org_id, ${runnerId}::text AS runner_id, ${new Date().toISOString()}::timestamptz AS received_at
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(${BATCH_COLUMNS}, b integer)
      ), ins AS (
        INSERT INTO check_results (id, org_id, monitor_id, region, runner_id, started_at, status, duration_ms, status_code, error_code, trace_id, confirmation, detail, received_at)
        SELECT x.id, x.org_id, x.monitor_id, x.region, x.runner_id, x.started_at, x.status, x.duration_ms, x.status_code, x.error_code, x.trace_id, x.confirmation, x.detail, x.received_at
        FROM x
        ON CONFLICT (started_at, id) DO NOTHING
        RETURNING id, started_at
      ), built AS (${HOURS_BUILT_FOR_WRITERS}
      ), g AS (
        SELECT min(x.org_id) AS org_id, x.monitor_id, x.region, r.resolution, date_bin(r.size, x.started_at, timestamptz '1970-01-01 00:00:00+00') AS bucket_start,
               count(*)::integer AS checks, (count(*) FILTER (WHERE x.status = 'up'))::integer AS up, (count(*) FILTER (WHERE x.status = 'degraded'))::integer AS degraded,
               (count(*) FILTER (WHERE x.status = 'down'))::integer AS down, sum(x.duration_ms) AS sum_ms, max(x.duration_ms)::real AS max_ms, ${HISTOGRAM_OF_B} AS histogram
        FROM x JOIN ins ON ins.id = x.id AND ins.started_at = x.started_at
        CROSS JOIN built
        JOIN (VALUES ('minute', interval '1 minute'), ('hour', interval '1 hour')) AS r(resolution, size) ON r.resolution = 'minute' OR x.started_at < built.built_through
        GROUP BY x.monitor_id, x.region, r.resolution, 5
      ), roll AS (
        INSERT INTO result_rollups (org_id, monitor_id, region, resolution, bucket_start, checks, up, degraded, down, sum_ms, max_ms, histogram)
        SELECT g.org_id, g.monitor_id, g.region, g.resolution, g.bucket_start, g.checks, g.up, g.degraded, g.down, g.sum_ms, g.max_ms, g.histogram
        FROM g
        -- Rows locked in key order: two batches holding results of the same slots (the old and the
        -- new owner while a slot moves) would otherwise deadlock on each other's rollup rows.
        ORDER BY g.monitor_id, g.region, g.resolution, g.bucket_start
        ${ROLLUP_CONFLICT}
      ), obs AS (
        -- What the batch's new results say per slot, carried by the slot's locked row (no second join).
        SELECT x.monitor_id, x.region, count(*)::integer AS n, count(DISTINCT x.started_at)::integer AS distinct_at, bool_and(x.status = 'up') AS all_up,
               min(x.started_at) AS first_at, max(x.started_at) AS last_at, (array_agg(x.id ORDER BY x.started_at DESC))[1] AS last_id
        FROM x JOIN ins ON ins.id = x.id AND ins.started_at = x.started_at
        GROUP BY x.monitor_id, x.region
      ), locked AS (
        SELECT s.*, o.n AS obs_n, o.distinct_at AS obs_distinct_at, o.all_up AS obs_all_up, o.first_at AS obs_first_at, o.last_at AS obs_last_at, o.last_id AS obs_last_id
        FROM slot_states s JOIN obs o ON o.monitor_id = s.monitor_id AND o.region = s.region
        ORDER BY s.monitor_id, s.region FOR UPDATE OF s
      ), steady AS (
        -- A slot up with only newer up results (the common case) stays up: evaluateSlot would count the
        -- successes, clear the other counters and the error and move the last result, nothing else. The
        -- rest (a new slot, another state, a failure, a late or same-instant result) goes to the control plane.
        UPDATE slot_states s SET successes = s.successes + l.obs_n, failures = 0, degraded = 0, last_result_id = l.obs_last_id, last_result_at = l.obs_last_at, last_error = NULL
        FROM locked l
        WHERE s.monitor_id = l.monitor_id AND s.region = l.region AND l.state = 'up' AND l.cause IS NULL AND l.last_result_at IS NOT NULL
          AND l.obs_all_up AND l.obs_n = l.obs_distinct_at AND l.obs_first_at > l.last_result_at
        RETURNING s.monitor_id, s.region
      )
      SELECT (SELECT coalesce(jsonb_agg(ins.id), '[]'::jsonb) FROM ins) AS ids,
             (SELECT coalesce(jsonb_agg(to_jsonb(l)), '[]'::jsonb) FROM locked l
              WHERE NOT EXISTS (SELECT 1 FROM steady st WHERE st.monitor_id = l.monitor_id AND st.region = l.region)) AS slots,
             (SELECT coalesce(jsonb_agg(jsonb_build_array(st.monitor_id, st.region)), '[]'::jsonb) FROM steady st) AS steady`.execute(db);
    const fresh = new Set(out!.ids);
    const metered = inputs.filter((i) => i.result.metrics && fresh.has(i.result.id));
    if (metered.length) await this.metricRollups.add(db, metered);
    return { fresh, slots: slotStatesByKey(out!.slots), steady: new Set(out!.steady.map(([monitorId, region]) => slotStateKey({ monitorId, region }))) };
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
    // Hour rows only of hours before the watermark (see insertWithRollups); the job builds the others.
    await sql`
      WITH built AS (${HOURS_BUILT_FOR_WRITERS})
      INSERT INTO result_rollups (org_id, monitor_id, region, resolution, bucket_start, checks, up, degraded, down, sum_ms, max_ms, histogram)
      SELECT x.org_id, x.monitor_id, x.region, x.resolution, x.bucket_start, x.checks, x.up, x.degraded, x.down, x.sum_ms, x.max_ms, x.histogram
      FROM jsonb_to_recordset(${JSON.stringify(rollups)}::jsonb) AS x(org_id text, monitor_id text, region text, resolution text, bucket_start timestamptz,
           checks integer, up integer, degraded integer, down integer, sum_ms double precision, max_ms real, histogram integer[])
      CROSS JOIN built
      WHERE x.resolution = 'minute' OR x.bucket_start < built.built_through
      ORDER BY x.monitor_id, x.region, x.resolution, x.bucket_start
      ${ROLLUP_CONFLICT}`.execute(db);
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
