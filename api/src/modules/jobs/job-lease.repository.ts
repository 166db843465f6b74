import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** SQL of background job leases: one row per job names the process that runs it until lease_until. */
export class JobLeaseRepository {
  /**
   * Takes or renews the job's lease for `holder`: granted when the holder has it already or the
   * current lease has run out. One conditional upsert, so two processes never both win.
   */
  async claim(db: Db, name: string, holder: string, ttlMs: number): Promise<boolean> {
    const { rows } = await sql<{ holder: string }>`
      INSERT INTO job_leases (name, holder, lease_until, acquired_at)
      VALUES (${name}, ${holder}, now() + ${ttlMs} * interval '1 millisecond', now())
      ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until,
        acquired_at = CASE WHEN job_leases.holder = excluded.holder THEN job_leases.acquired_at ELSE excluded.acquired_at END
      WHERE job_leases.holder = excluded.holder OR job_leases.lease_until < now()
      RETURNING holder`.execute(db);
    return rows.length === 1;
  }

  /** Gives the lease up (a stopping process), so another takes the job at its next tick. */
  async release(db: Db, name: string, holder: string): Promise<void> {
    await db.deleteFrom('job_leases').where('name', '=', name).where('holder', '=', holder).execute();
  }

  /** Every lease, for operators and tests. */
  async list(db: Db): Promise<Array<{ name: string; holder: string; leaseUntil: Date }>> {
    const rows = await db.selectFrom('job_leases').select(['name', 'holder', 'lease_until']).orderBy('name').execute();
    return rows.map((r) => ({ name: r.name, holder: r.holder, leaseUntil: new Date(r.lease_until) }));
  }
}
