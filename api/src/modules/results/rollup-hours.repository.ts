import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { histogramSums } from '../sla/rollup-sums.sql.ts';

// SQL of the hour rollups (migration 2026-12-02T0200): built from minute rollups an hour at a time
// by the rollup job, behind the watermark in result_rollup_hours_built. Readers of hour figures read
// the view result_rollup_hours (hour rows before the watermark, minute rows from it on).

/**
 * The watermark as a CTE body, for a writer of rollups: a result older than the watermark also adds
 * into its hour row (the job builds the others from the minute rows). A plain read is enough: the
 * job builds an hour holding result_rollups in EXCLUSIVE mode, which waits for every transaction
 * that has written rollups to end and holds off new writers until it commits, and a writer's
 * statement takes its snapshot after its lock on result_rollups is granted, so it sees either the
 * old watermark with the job not started or the new one with the hour rows committed. (A row lock
 * FOR SHARE on the watermark did the same at the cost of a multixact per batch.)
 */
export const HOURS_BUILT_FOR_WRITERS = sql`SELECT built_through FROM result_rollup_hours_built`;

/** What building one hour did. */
export interface BuiltHour {
  hour: Date;
  rows: number;
}

const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

export class RollupHoursRepository {
  /** Every hour before this one has its hour rows. */
  async builtThrough(db: Db): Promise<Date> {
    const { rows } = await sql<{ built_through: Date | string }>`SELECT built_through FROM result_rollup_hours_built`.execute(db);
    return asDate(rows[0]!.built_through);
  }

  /**
   * Builds the hour at the watermark from its minute rows, if it ended `settleMs` ago (by the
   * database clock), and moves the watermark past it; one transaction. result_rollups is locked in
   * EXCLUSIVE mode first (readers go on): that waits for every transaction that wrote rollups, so
   * the minute rows read next include all their writes, and writers that come after see the new
   * watermark and add their late results into the hour row themselves. Writers wait while the hour
   * is summed (one pass over the hour's minute rows). Hour rows of the hour are replaced by the sums
   * of its minute rows (a partial hour row written before the upgrade is made whole).
   * Returns undefined when the next hour is not due yet.
   */
  async buildNext(db: Db, settleMs: number): Promise<BuiltHour | undefined> {
    // Not due (nearly every run): answered without the lock, which would make writers wait for it.
    const { rows: [peek] } = await sql<{ due: boolean }>`
      SELECT built_through + interval '1 hour' + make_interval(secs => ${settleMs / 1000}) <= now() AS due FROM result_rollup_hours_built`.execute(db);
    if (!peek?.due) return undefined;
    return db.transaction().execute(async (trx) => {
      await sql`LOCK TABLE result_rollups IN EXCLUSIVE MODE`.execute(trx);
      const { rows: [w] } = await sql<{ built_through: Date | string; due: boolean }>`
        SELECT built_through, built_through + interval '1 hour' + make_interval(secs => ${settleMs / 1000}) <= now() AS due
        FROM result_rollup_hours_built FOR UPDATE`.execute(trx);
      if (!w?.due) return undefined;
      const at = asDate(w.built_through).toISOString();
      const built = await sql`
        INSERT INTO result_rollups (org_id, monitor_id, region, resolution, bucket_start, checks, up, degraded, down, sum_ms, max_ms, histogram)
        SELECT min(r.org_id), r.monitor_id, r.region, 'hour', ${at}::timestamptz, sum(r.checks)::integer, sum(r.up)::integer, sum(r.degraded)::integer, sum(r.down)::integer,
               sum(r.sum_ms), max(r.max_ms), ARRAY[${histogramSums('r')}]::integer[]
        FROM result_rollups r
        WHERE r.resolution = 'minute' AND r.bucket_start >= ${at}::timestamptz AND r.bucket_start < ${at}::timestamptz + interval '1 hour'
        GROUP BY r.monitor_id, r.region
        ON CONFLICT (monitor_id, region, resolution, bucket_start) DO UPDATE SET
          org_id = excluded.org_id, checks = excluded.checks, up = excluded.up, degraded = excluded.degraded, down = excluded.down,
          sum_ms = excluded.sum_ms, max_ms = excluded.max_ms, histogram = excluded.histogram`.execute(trx);
      await sql`UPDATE result_rollup_hours_built SET built_through = built_through + interval '1 hour'`.execute(trx);
      return { hour: asDate(w.built_through), rows: Number(built.numAffectedRows ?? 0) };
    });
  }
}
