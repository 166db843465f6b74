import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { hourRollupRetentionDays } from './rollup-days.plan.ts';
import { histogramSums } from './rollup-sums.sql.ts';

// SQL of the day rollups (migration 2026-12-02T0130): derived from hour rollups by the rollup-days
// job, read by the SLA queries (sla.repository.ts). Days are UTC and go by the database clock.

const EPOCH = sql`timestamptz '1970-01-01 00:00:00+00'`;
/**
 * The advisory lock (hashtext of this) that serializes derivations (two replicas, or a run longer
 * than its lease), so deletes and inserts of one day never interleave; a session holding it pauses the job.
 */
export const rollupDaysLockName = 'pharos:result-rollup-days';
const LOCK = sql`SELECT pg_advisory_xact_lock(hashtext(${rollupDaysLockName}))`;

/** The sums of a group of hour rows, as a day row's columns. */
const DAY_SUMS = sql`sum(r.checks)::integer, sum(r.up)::integer, sum(r.degraded)::integer, sum(r.down)::integer, sum(r.sum_ms), max(r.max_ms), ARRAY[${histogramSums('r')}]::integer[]`;

const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

export class RollupDaysRepository {
  /**
   * Closed days not derived yet, oldest first, at most `limit`: from the oldest day hour rollups are
   * kept for to the last day that ended `settleMs` ago (a write begun before midnight commits after it)
   * and whose hours are all built (before the hour-rollup watermark).
   */
  async pendingDays(db: Db, settleMs: number, limit: number): Promise<Date[]> {
    const { rows } = await sql<{ day: Date | string }>`
      SELECT g.day FROM generate_series(
        date_bin('1 day', now() - make_interval(days => ${hourRollupRetentionDays}), ${EPOCH}),
        date_bin('1 day', now() - make_interval(secs => ${settleMs / 1000}), ${EPOCH}) - interval '1 day',
        interval '1 day') AS g(day)
      WHERE NOT EXISTS (SELECT 1 FROM result_rollup_days_derived d WHERE d.day = g.day)
        AND g.day + interval '1 day' <= (SELECT w.built_through FROM result_rollup_hours_built w)
      ORDER BY g.day
      LIMIT ${limit}`.execute(db);
    return rows.map((r) => asDate(r.day));
  }

  /**
   * Derives one day: its day rows from its hour rows, and the day recorded as derived. The day's late
   * marks are taken first (waiting for a writer that holds one), so every write they stood for is
   * visible to the statements after; a mark made later stays, and the day is read from hours for that
   * monitor until it is derived again. Returns the day rows written.
   */
  async deriveDay(db: Db, day: Date): Promise<number> {
    return db.transaction().execute(async (trx) => {
      await LOCK.execute(trx);
      const at = day.toISOString();
      await sql`DELETE FROM result_rollup_days_dirty WHERE day = ${at}::timestamptz`.execute(trx);
      await sql`DELETE FROM result_rollup_days WHERE day = ${at}::timestamptz`.execute(trx);
      const inserted = await sql`
        INSERT INTO result_rollup_days (org_id, monitor_id, region, day, checks, up, degraded, down, sum_ms, max_ms, histogram)
        SELECT r.org_id, r.monitor_id, r.region, ${at}::timestamptz, ${DAY_SUMS}
        FROM result_rollups r
        WHERE r.resolution = 'hour' AND r.bucket_start >= ${at}::timestamptz AND r.bucket_start < ${at}::timestamptz + interval '1 day'
        GROUP BY r.org_id, r.monitor_id, r.region`.execute(trx);
      await sql`INSERT INTO result_rollup_days_derived (day, derived_at) VALUES (${at}::timestamptz, now()) ON CONFLICT (day) DO UPDATE SET derived_at = excluded.derived_at`.execute(trx);
      return Number(inserted.numAffectedRows ?? 0);
    });
  }

  /**
   * Derives again up to `limit` monitor-days that late writes marked (of days already derived), in
   * one transaction; returns how many. Marks of days not derived yet wait for their derivation.
   */
  async rederiveDirty(db: Db, limit: number): Promise<number> {
    return db.transaction().execute(async (trx) => {
      await LOCK.execute(trx);
      const { rows } = await sql<{ monitor_id: string; day: Date | string }>`
        DELETE FROM result_rollup_days_dirty x
        WHERE (x.monitor_id, x.day) IN (
          SELECT m.monitor_id, m.day FROM result_rollup_days_dirty m
          WHERE EXISTS (SELECT 1 FROM result_rollup_days_derived d WHERE d.day = m.day)
          ORDER BY m.day, m.monitor_id
          LIMIT ${limit})
        RETURNING x.monitor_id, x.day`.execute(trx);
      if (rows.length === 0) return 0;
      const ids = rows.map((r) => r.monitor_id);
      const days = rows.map((r) => asDate(r.day).toISOString());
      await sql`
        DELETE FROM result_rollup_days d USING unnest(${ids}::text[], ${days}::timestamptz[]) AS p(monitor_id, day)
        WHERE d.monitor_id = p.monitor_id AND d.day = p.day`.execute(trx);
      await sql`
        INSERT INTO result_rollup_days (org_id, monitor_id, region, day, checks, up, degraded, down, sum_ms, max_ms, histogram)
        SELECT r.org_id, r.monitor_id, r.region, p.day, ${DAY_SUMS}
        FROM unnest(${ids}::text[], ${days}::timestamptz[]) AS p(monitor_id, day)
        JOIN result_rollups r ON r.monitor_id = p.monitor_id AND r.resolution = 'hour' AND r.bucket_start >= p.day AND r.bucket_start < p.day + interval '1 day'
        GROUP BY r.org_id, r.monitor_id, r.region, p.day`.execute(trx);
      return rows.length;
    });
  }

  /** Drops day rows, marks and records of days whose hour rows partition upkeep has dropped. */
  async prune(db: Db): Promise<void> {
    const cutoff = sql`date_bin('1 day', now() - make_interval(days => ${hourRollupRetentionDays}), ${EPOCH})`;
    await sql`DELETE FROM result_rollup_days WHERE day < ${cutoff}`.execute(db);
    await sql`DELETE FROM result_rollup_days_dirty WHERE day < ${cutoff}`.execute(db);
    await sql`DELETE FROM result_rollup_days_derived WHERE day < ${cutoff}`.execute(db);
  }

  /** Monitor-days marked by late writes and not derived again yet. */
  async dirtyCount(db: Db): Promise<number> {
    const { rows } = await sql<{ n: string | number }>`SELECT count(*) AS n FROM result_rollup_days_dirty`.execute(db);
    return Number(rows[0]?.n ?? 0);
  }
}
