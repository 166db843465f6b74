import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

const DAY = 86_400_000;
const dayStart = (t: number) => Math.floor(t / DAY) * DAY;
const partitionName = (day: number) => `check_results_p${new Date(day).toISOString().slice(0, 10).replaceAll('-', '')}`;

/**
 * Daily partitions of check_results (the same layout on PostgreSQL and PGlite): created ahead of
 * need, dropped whole when they fall out of retention — expiry never deletes row by row.
 */
export class PartitionManager {
  private readonly ensured = new Set<number>();

  constructor(
    private readonly db: Db,
    readonly retentionDays: number,
  ) {}

  /** Oldest start time a result may have and still be stored. */
  oldestAccepted(now = Date.now()): number {
    return dayStart(now) - (this.retentionDays - 1) * DAY;
  }

  /** Makes sure partitions exist for every day from `from` to `to` (ms). */
  async ensure(from: number, to: number): Promise<void> {
    const missing: number[] = [];
    for (let day = dayStart(from); day <= dayStart(to); day += DAY) if (!this.ensured.has(day)) missing.push(day);
    if (missing.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      // Replicas creating the same partition at once would collide in the catalog.
      await sql`SELECT pg_advisory_xact_lock(hashtext('pharos-partitions'))`.execute(trx);
      for (const day of missing) {
        const name = partitionName(day);
        const lower = new Date(day).toISOString();
        const upper = new Date(day + DAY).toISOString();
        await sql.raw(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF check_results FOR VALUES FROM ('${lower}') TO ('${upper}')`).execute(trx);
      }
    });
    for (const day of missing) this.ensured.add(day);
  }

  /** Creates today's and the next two days' partitions and drops those past retention; also trims rollups. */
  async maintain(now = Date.now()): Promise<{ dropped: string[] }> {
    await this.ensure(now - DAY, now + 2 * DAY);
    const oldest = this.oldestAccepted(now);
    const { rows } = await sql<{ name: string }>`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'check_results'`.execute(this.db);
    const dropped: string[] = [];
    for (const { name } of rows) {
      const match = /^check_results_p(\d{4})(\d{2})(\d{2})$/.exec(name);
      if (!match) continue;
      const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
      if (day < oldest) {
        await sql.raw(`DROP TABLE IF EXISTS ${name}`).execute(this.db);
        this.ensured.delete(day);
        dropped.push(name);
      }
    }
    // Minute rollups serve windows up to two days; hour rollups serve SLA windows up to 400 days.
    // Never those of an hour the rollup job has not built from them yet (it was stopped for days).
    await sql`DELETE FROM result_rollups WHERE resolution = 'minute' AND bucket_start < least(${new Date(now - 8 * DAY).toISOString()}::timestamptz, (SELECT built_through FROM result_rollup_hours_built))`.execute(this.db);
    // Health-endpoint metrics are rolled up per minute only, kept as long as the latency minute rollups.
    await this.db.deleteFrom('metric_rollups').where('bucket_start', '<', new Date(now - 8 * DAY)).execute();
    await this.db.deleteFrom('result_rollups').where('resolution', '=', 'hour').where('bucket_start', '<', new Date(now - 400 * DAY)).execute();
    return { dropped };
  }
}
