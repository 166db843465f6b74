import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';
import { retryTransientConflicts } from '../../db/db-errors.ts';
import { histogramSums } from '../sla/rollup-sums.sql.ts';
import { ROLLUP_CONFLICT, sqlBuckets } from './rollup-upsert.sql.ts';

// SQL of the hour rollups (migrations 2026-12-02T0200 and T0300): built from minute rollups an hour
// at a time by the rollup job. result_rollup_hours_built holds two watermarks:
// - built_through, the readers': every hour before it has whole hour rows. Readers of hour figures
//   read the view result_rollup_hours (hour rows before it, minute rows from it on).
// - writers_through, the writers': a result older than it also adds into its hour row.
// They are equal except while the job builds the hour between them.

/**
 * The writers' watermark as a CTE body (column built_through), for a writer of rollups: a result
 * older than it also adds into its hour row (the job builds the others from the minute rows). A
 * plain read is enough: the job moves it holding result_rollups in EXCLUSIVE mode, which waits for
 * every transaction that has written rollups to end and holds off new writers until it commits, and
 * a writer's statement takes its snapshot after its lock on result_rollups is granted, so a write
 * either went into the job's snapshot of the minute rows or sees the new watermark and adds into the
 * hour row itself. (A row lock FOR SHARE on the watermark did the same at the cost of a multixact per
 * batch.)
 */
export const HOURS_BUILT_FOR_WRITERS = sql`SELECT writers_through AS built_through FROM result_rollup_hours_built`;

/** What building one hour did. */
export interface BuiltHour {
  hour: Date;
  rows: number;
}

export interface RollupHoursOptions {
  /**
   * The database has concurrent sessions (PostgreSQL): the hour is summed in a snapshot on a second
   * connection after the lock is released. Without (the embedded database, one serialized
   * connection), the hour is summed under the lock, which no other session can be waiting for.
   */
  concurrent: boolean;
  /** Runs after the lock is released and before the hour is summed (tests write into the hour there). */
  whileSumming?: () => Promise<void>;
}

const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));
const COUNTS = ['checks', 'up', 'degraded', 'down'] as const;
/** Minute rows `r` of the hour starting at `at`, from its minute `from` up to (not including) `to`. */
const minuteRowsOf = (at: string, from = 0, to = 60) =>
  sql`r.resolution = 'minute' AND r.bucket_start >= ${at}::timestamptz + make_interval(mins => ${from}) AND r.bucket_start < ${at}::timestamptz + make_interval(mins => ${to})`;
/**
 * The snapshot path sums an hour a slice of minutes at a time, so no statement scans the whole hour:
 * each must end within PHAROS_DB_QUERY_TIMEOUT_MS (30 s by default), and one statement summing the
 * hour of 200,000 slots took 23 s on the 2-core machine (npm run bench rollup-hours); an hour whose
 * sum is cancelled would be tried again every run and never built.
 */
const SLICE_MINUTES = 10;
const DUE = (settleMs: number) => sql`built_through + interval '1 hour' + make_interval(secs => ${settleMs / 1000}) <= now()`;

export class RollupHoursRepository {
  constructor(private readonly options: RollupHoursOptions = { concurrent: false }) {}

  /** Every hour before this one has its hour rows. */
  async builtThrough(db: Db): Promise<Date> {
    const { rows } = await sql<{ built_through: Date | string }>`SELECT built_through FROM result_rollup_hours_built`.execute(db);
    return asDate(rows[0]!.built_through);
  }

  /**
   * Builds the hour at the readers' watermark from its minute rows, if it ended `settleMs` ago (by
   * the database clock), and moves both watermarks past it. An hour whose build was cut short (the
   * writers' watermark is past it, the readers' is not) is built again first. Returns undefined
   * when the next hour is not due yet.
   */
  async buildNext(db: Db, settleMs: number): Promise<BuiltHour | undefined> {
    // Not due (nearly every run): answered without the lock, which would make writers wait for it.
    const { rows: [peek] } = await sql<{ due: boolean; cut: boolean }>`
      SELECT ${DUE(settleMs)} AS due, writers_through > built_through AS cut FROM result_rollup_hours_built`.execute(db);
    if (!peek?.due && !peek?.cut) return undefined;
    return this.options.concurrent ? this.buildFromSnapshot(db, settleMs) : this.buildUnderLock(db, settleMs);
  }

  /**
   * One transaction holding result_rollups in EXCLUSIVE mode (readers go on, writers wait) while the
   * hour is summed: the embedded database's path (one serialized connection: no writer can be
   * waiting). The hour rows are replaced by the sums of its minute rows, which then hold every
   * result of the hour (so a build cut short is made whole too).
   */
  private async buildUnderLock(db: Db, settleMs: number): Promise<BuiltHour | undefined> {
    return db.transaction().execute(async (trx) => {
      await sql`LOCK TABLE result_rollups IN EXCLUSIVE MODE`.execute(trx);
      const { rows: [w] } = await sql<{ built_through: Date | string; due: boolean; cut: boolean }>`
        SELECT built_through, ${DUE(settleMs)} AS due, writers_through > built_through AS cut FROM result_rollup_hours_built FOR UPDATE`.execute(trx);
      if (!w || (!w.due && !w.cut)) return undefined;
      const at = asDate(w.built_through).toISOString();
      const built = await sql`
        INSERT INTO result_rollups (org_id, monitor_id, region, checks, up, degraded, down, sum_ms, max_ms, histogram, resolution, bucket_start)
        SELECT ${sumsOf('r')}, 'hour', ${at}::timestamptz
        FROM result_rollups r WHERE ${minuteRowsOf(at)}
        GROUP BY r.monitor_id, r.region
        ON CONFLICT (monitor_id, region, resolution, bucket_start) DO UPDATE SET
          org_id = excluded.org_id, checks = excluded.checks, up = excluded.up, degraded = excluded.degraded, down = excluded.down,
          sum_ms = excluded.sum_ms, max_ms = excluded.max_ms, histogram = excluded.histogram`.execute(trx);
      await sql`UPDATE result_rollup_hours_built SET built_through = built_through + interval '1 hour', writers_through = built_through + interval '1 hour'`.execute(trx);
      return { hour: asDate(w.built_through), rows: Number(built.numAffectedRows ?? 0) };
    });
  }

  /**
   * PostgreSQL's path; writers wait only for the writes in flight, not for the sum:
   * 1. On one connection, a REPEATABLE READ transaction locks result_rollups in EXCLUSIVE mode (which
   *    waits for every transaction that wrote rollups), takes its snapshot, exports it and moves the
   *    writers' watermark past the hour; a second connection imports the snapshot; the first commits,
   *    and the lock is gone. The snapshot holds every write into the hour's minute rows so far; a
   *    write after it adds into the hour's row as well.
   * 2. In the snapshot, the hour's minute rows are summed into a temporary table, ten minutes of
   *    rows per statement, less the hour row the snapshot already holds, if any (a partial one from
   *    before the job built hours, or what late writes added during a build cut short).
   * 3. In one READ COMMITTED transaction the sums are added into the hour rows (on top of what late
   *    writes added since the snapshot, rows locked in key order as ingest locks them) and the
   *    readers' watermark moves past the hour: readers read the hour's minute rows until then.
   * A failure after step 1 leaves the writers' watermark ahead of the readers' (step 3 is one
   * transaction: none of it stays): the next run builds the same hour again the same way.
   */
  private async buildFromSnapshot(db: Db, settleMs: number): Promise<BuiltHour | undefined> {
    return db.connection().execute(async (sums) => {
      // One builder at a time, also across replicas (the job's lease can lapse during a long build):
      // two adding their sums into the same hour would count it twice. Held by the session, so a
      // builder that dies lets go with its connection.
      const { rows: [mine] } = await sql<{ mine: boolean }>`SELECT pg_try_advisory_lock(hashtext('pharos-rollup-hours')) AS mine`.execute(sums);
      if (!mine?.mine) return undefined;
      try {
        return await this.buildHoldingTheBuilderLock(db, sums, settleMs);
      } finally {
        await sql`SELECT pg_advisory_unlock(hashtext('pharos-rollup-hours'))`.execute(sums).catch(() => undefined);
      }
    });
  }

  private async buildHoldingTheBuilderLock(db: Db, sums: Db, settleMs: number): Promise<BuiltHour | undefined> {
    await sql`DROP TABLE IF EXISTS pg_temp.pharos_hour_parts, pg_temp.pharos_hour_sums`.execute(sums);
    const hour = await db.connection().execute(async (lock) => {
      await sql`BEGIN ISOLATION LEVEL REPEATABLE READ`.execute(lock);
      try {
        await sql`LOCK TABLE result_rollups IN EXCLUSIVE MODE`.execute(lock);
        const { rows: [w] } = await sql<{ built_through: Date | string; due: boolean; cut: boolean; snapshot: string }>`
          SELECT built_through, ${DUE(settleMs)} AS due, writers_through > built_through AS cut, pg_export_snapshot() AS snapshot
          FROM result_rollup_hours_built FOR UPDATE`.execute(lock);
        if (!w || (!w.due && !w.cut)) {
          await sql`ROLLBACK`.execute(lock);
          return undefined;
        }
        await sql`UPDATE result_rollup_hours_built SET writers_through = built_through + interval '1 hour'`.execute(lock);
        await sql`BEGIN ISOLATION LEVEL REPEATABLE READ`.execute(sums);
        await sql`SET TRANSACTION SNAPSHOT ${sql.lit(w.snapshot)}`.execute(sums);
        await sql`COMMIT`.execute(lock);
        return asDate(w.built_through);
      } catch (error) {
        await sql`ROLLBACK`.execute(lock).catch(() => undefined);
        await sql`ROLLBACK`.execute(sums).catch(() => undefined);
        throw error;
      }
    });
    if (!hour) return undefined;
    const at = hour.toISOString();
    try {
      await this.options.whileSumming?.();
      // Sums of each slice of minutes, then of the slices, less any hour row the snapshot holds.
      await sql`CREATE TEMPORARY TABLE pharos_hour_parts (org_id text, monitor_id text, region text, checks integer, up integer, degraded integer, down integer,
                sum_ms double precision, max_ms real, histogram integer[])`.execute(sums);
      for (let from = 0; from < 60; from += SLICE_MINUTES) {
        await sql`
          INSERT INTO pharos_hour_parts
          SELECT ${sumsOf('r')} FROM result_rollups r WHERE ${minuteRowsOf(at, from, Math.min(60, from + SLICE_MINUTES))}
          GROUP BY r.monitor_id, r.region`.execute(sums);
      }
      await sql`
        CREATE TEMPORARY TABLE pharos_hour_sums AS
        WITH m AS (SELECT ${sumsOf('p')} FROM pharos_hour_parts p GROUP BY p.monitor_id, p.region)
        SELECT m.org_id, m.monitor_id, m.region, ${sql.join(COUNTS.map((c) => sql`m.${sql.ref(c)} - coalesce(o.${sql.ref(c)}, 0) AS ${sql.ref(c)}`))},
               m.sum_ms - coalesce(o.sum_ms, 0) AS sum_ms, m.max_ms, ${histogramLess('m', 'o')} AS histogram
        FROM m LEFT JOIN result_rollups o ON o.monitor_id = m.monitor_id AND o.region = m.region AND o.resolution = 'hour' AND o.bucket_start = ${at}::timestamptz`.execute(sums);
      await sql`COMMIT`.execute(sums);
      const rows = await retryTransientConflicts(async () => {
        await sql`BEGIN`.execute(sums);
        try {
          const added = await sql`
            INSERT INTO result_rollups (org_id, monitor_id, region, resolution, bucket_start, checks, up, degraded, down, sum_ms, max_ms, histogram)
            SELECT s.org_id, s.monitor_id, s.region, 'hour', ${at}::timestamptz, s.checks, s.up, s.degraded, s.down, s.sum_ms, s.max_ms, s.histogram
            FROM pharos_hour_sums s ORDER BY s.monitor_id, s.region
            ${ROLLUP_CONFLICT}`.execute(sums);
          await sql`UPDATE result_rollup_hours_built SET built_through = writers_through`.execute(sums);
          await sql`COMMIT`.execute(sums);
          return Number(added.numAffectedRows ?? 0);
        } catch (error) {
          await sql`ROLLBACK`.execute(sums).catch(() => undefined);
          throw error;
        }
      });
      return { hour, rows };
    } catch (error) {
      await sql`ROLLBACK`.execute(sums).catch(() => undefined);
      throw error;
    } finally {
      await sql`DROP TABLE IF EXISTS pg_temp.pharos_hour_parts, pg_temp.pharos_hour_sums`.execute(sums).catch(() => undefined);
    }
  }
}

/** A group's org, slot and sums of the rollup rows `alias` (a slot's rows of one organization). */
function sumsOf(alias: string): RawBuilder<unknown> {
  const c = (name: string) => sql.ref(`${alias}.${name}`);
  return sql`min(${c('org_id')}) AS org_id, ${c('monitor_id')}, ${c('region')}, ${sql.join(COUNTS.map((n) => sql`sum(${c(n)})::integer AS ${sql.ref(n)}`))},
    sum(${c('sum_ms')}) AS sum_ms, max(${c('max_ms')}) AS max_ms, ARRAY[${histogramSums(alias)}]::integer[] AS histogram`;
}

/** `a`.histogram less `b`.histogram (absent: zeros), element-wise. */
function histogramLess(a: string, b: string): RawBuilder<unknown> {
  return sql`ARRAY[${sql.join(sqlBuckets.map((i) => sql`${sql.ref(`${a}.histogram`)}[${sql.lit(i)}] - coalesce(${sql.ref(`${b}.histogram`)}[${sql.lit(i)}], 0)`))}]::integer[]`;
}
