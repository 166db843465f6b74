import { sql } from 'kysely';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { Db } from '../../db/database.ts';
import type { SpecRow } from '../../db/tables.ts';
import { anyOf } from '../../db/any-of.ts';

export interface RunnerRow {
  id: string;
  org_id: string;
  runner_token_id: string;
  region: string;
  labels: Record<string, string>;
  capabilities: string[];
  revision: number;
  acked_revision: number;
  lease_expires_at: Date;
  stopped_at: Date | null;
}

/** A live runner as the planner sees it: its row and whether its token also serves the general pool. */
export interface LiveRunnerRow extends RunnerRow {
  servesGeneralPool: boolean;
}

const columns = ['id', 'org_id', 'runner_token_id', 'region', 'labels', 'capabilities', 'revision', 'acked_revision', 'lease_expires_at', 'stopped_at'] as const;

const toRow = (r: Record<string, unknown>): RunnerRow => ({
  ...(r as unknown as RunnerRow),
  revision: Number(r.revision),
  acked_revision: Number(r.acked_revision),
  lease_expires_at: new Date(r.lease_expires_at as string),
});

/** SQL for runner instances, their leases and their change log. */
export class RunnerRepository {
  /** `secrets` decrypts monitors' secret headers for the assignment feed (ownedMonitors); other queries do not need it. */
  constructor(private readonly secrets?: SecretBox) {}

  async insert(db: Db, row: { id: string; org_id: string; runner_token_id: string; region: string; labels: Record<string, string>; version: string; hostname: string | null; capabilities: string[]; leaseSeconds: number }): Promise<void> {
    const now = new Date();
    await db
      .insertInto('runners')
      .values({
        id: row.id, org_id: row.org_id, runner_token_id: row.runner_token_id, region: row.region, labels: JSON.stringify(row.labels), version: row.version,
        hostname: row.hostname, capabilities: JSON.stringify(row.capabilities), registered_at: now, last_seen_at: now, lease_expires_at: new Date(now.getTime() + row.leaseSeconds * 1000),
      })
      .execute();
  }

  async get(db: Db, orgId: string, id: string): Promise<RunnerRow | undefined> {
    const r = await db.selectFrom('runners').select(columns).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return r ? toRow(r) : undefined;
  }

  /**
   * Extends the lease. Returns whether the runner was live before (false: it had lapsed) and the
   * renewal's mark: the runner's count of renewals, for presumeGone to tell whether the runner polled
   * again since (a count, not last_seen_at: the embedded database's clock has millisecond resolution,
   * so two renewals in the same millisecond had the same time).
   */
  async renew(db: Db, id: string, leaseSeconds: number): Promise<{ wasLive: boolean; seenMark: string }> {
    const row = await db
      .updateTable('runners')
      .set({ last_seen_at: sql`now()`, lease_expires_at: sql`now() + make_interval(secs => ${leaseSeconds})`, stopped_at: null, renewals: sql`renewals + 1` })
      .where('id', '=', id)
      .returning([
        sql<boolean>`(SELECT r.lease_expires_at > now() AND r.stopped_at IS NULL FROM runners r WHERE r.id = ${id})`.as('was_live'),
        sql<string>`renewals::text`.as('seen_mark'),
      ])
      .executeTakeFirst();
    return { wasLive: Boolean(row?.was_live), seenMark: row?.seen_mark ?? '0' };
  }

  /**
   * The runner's long poll was cut before its answer: its lease ends `graceSeconds` from now (never
   * later than it would anyway), unless it polled again since the renewal `seenMark` (a reconnect
   * on any replica counts a renewal, and a renewal after this update restores the full lease).
   * Returns whether the lease was shortened.
   */
  async presumeGone(db: Db, id: string, seenMark: string, graceSeconds: number): Promise<boolean> {
    const rows = await db
      .updateTable('runners')
      .set({ lease_expires_at: sql`least(lease_expires_at, now() + make_interval(secs => ${graceSeconds}))` })
      .where('id', '=', id)
      .where('stopped_at', 'is', null)
      .where('lease_expires_at', '>', sql<Date>`now()`)
      .where(sql<boolean>`renewals <= ${seenMark}::bigint`)
      .returning('id')
      .execute();
    return rows.length > 0;
  }

  async stop(db: Db, orgId: string, id: string): Promise<void> {
    await db.updateTable('runners').set({ stopped_at: sql`now()`, lease_expires_at: sql`now()` }).where('org_id', '=', orgId).where('id', '=', id).execute();
  }

  /** Runners whose lease is current, with their token's pool setting (read live, so a token edit applies at once). */
  async live(db: Db, orgId: string): Promise<LiveRunnerRow[]> {
    const rows = await db
      .selectFrom('runners as r')
      .innerJoin('runner_tokens as t', 't.id', 'r.runner_token_id')
      .select([...columns.map((c) => `r.${c}` as const), 't.serves_general_pool'])
      .where('r.org_id', '=', orgId)
      .where('r.stopped_at', 'is', null)
      .where('r.lease_expires_at', '>', sql<Date>`now()`)
      .execute();
    return rows.map((r) => ({ ...toRow(r), servesGeneralPool: Boolean(r.serves_general_pool) }));
  }

  /** True when a runner of the organization lost its lease but still holds slots. */
  async hasLapsedOwners(db: Db, orgId: string): Promise<boolean> {
    const row = await db
      .selectFrom('runners as r')
      .select('r.id')
      .where('r.org_id', '=', orgId)
      .where((eb) => eb.or([eb('r.lease_expires_at', '<=', sql<Date>`now()`), eb('r.stopped_at', 'is not', null)]))
      .where((eb) => eb.exists(eb.selectFrom('slot_assignments as s').select('s.runner_id').whereRef('s.runner_id', '=', 'r.id')))
      .limit(1)
      .executeTakeFirst();
    return Boolean(row);
  }

  /** Organizations with lapsed slot owners (for the background reaper). */
  async orgsWithLapsedOwners(db: Db): Promise<string[]> {
    const rows = await db
      .selectFrom('runners as r')
      .select('r.org_id')
      .distinct()
      .where((eb) => eb.or([eb('r.lease_expires_at', '<=', sql<Date>`now()`), eb('r.stopped_at', 'is not', null)]))
      .where((eb) => eb.exists(eb.selectFrom('slot_assignments as s').select('s.runner_id').whereRef('s.runner_id', '=', 'r.id')))
      .execute();
    return rows.map((r) => r.org_id);
  }

  /** Organizations that have monitors (for the periodic reconciliation of assignments). */
  async orgsWithMonitors(db: Db): Promise<string[]> {
    const rows = await db.selectFrom('monitors').select('org_id').distinct().execute();
    return rows.map((r) => r.org_id);
  }

  /** Records changes for a runner under a new revision; returns it. */
  async recordChanges(db: Db, runnerId: string, changes: ReadonlyMap<string, 'upsert' | 'remove'>): Promise<number> {
    const { revision } = await db.updateTable('runners').set({ revision: sql`revision + 1` }).where('id', '=', runnerId).returning('revision').executeTakeFirstOrThrow();
    if (changes.size) {
      // One JSON parameter for every row: a runner taking 20,000 slots would pass 65,535 bind parameters.
      const rows = JSON.stringify([...changes].map(([monitor_id, change]) => ({ monitor_id, change })));
      await sql`INSERT INTO runner_changes (runner_id, revision, monitor_id, change)
                SELECT ${runnerId}, ${Number(revision)}::bigint, x.monitor_id, x.change FROM jsonb_to_recordset(${rows}::jsonb) AS x(monitor_id text, change text)`.execute(db);
    }
    return Number(revision);
  }

  /**
   * Records a plan's changes for many runners, each under a new revision, with the runners' rows
   * locked only at the end. A plan that bumped each runner's revision first (`recordChanges`) held
   * that row until its commit, and every lease renewal of the runner waited on it: at 100,000
   * monitors that outlasted the lease, the runners lapsed, and the next plan moved their slots away.
   * The revisions are read unlocked and the change rows written under the next ones; the bump then
   * checks the revision did not move meanwhile (a monitor's deletion may bump it: `releaseMonitorSlots`).
   * A runner whose revision moved has this plan's rows moved to a further revision of its own.
   */
  async recordPlanChanges(db: Db, changes: ReadonlyMap<string, ReadonlyMap<string, 'upsert' | 'remove'>>): Promise<void> {
    if (changes.size === 0) return;
    const read = await db.selectFrom('runners').select(['id', 'revision']).where('id', '=', anyOf(changes.keys())).execute();
    const next = new Map(read.map((r) => [r.id, Number(r.revision) + 1]));
    const rows = [...changes].flatMap(([runnerId, forRunner]) => (next.has(runnerId) ? [...forRunner].map(([monitor_id, change]) => ({ runner_id: runnerId, revision: next.get(runnerId)!, monitor_id, change })) : []));
    if (rows.length) {
      await sql`INSERT INTO runner_changes (runner_id, revision, monitor_id, change)
                SELECT x.runner_id, x.revision, x.monitor_id, x.change FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(runner_id text, revision bigint, monitor_id text, change text)`.execute(db);
    }
    const bumps = JSON.stringify([...next].map(([id, revision]) => ({ id, revision })));
    const bumped = await sql<{ id: string }>`UPDATE runners r SET revision = x.revision FROM jsonb_to_recordset(${bumps}::jsonb) AS x(id text, revision bigint)
                                              WHERE r.id = x.id AND r.revision = x.revision - 1 RETURNING r.id`.execute(db);
    const done = new Set(bumped.rows.map((r) => r.id));
    for (const [runnerId, revision] of next) {
      if (done.has(runnerId)) continue;
      const moved = await db.updateTable('runners').set({ revision: sql`revision + 1` }).where('id', '=', runnerId).returning('revision').executeTakeFirst();
      if (!moved) continue; // the runner row is gone (purged): its change rows went with it
      await db.updateTable('runner_changes').set({ revision: String(moved.revision) }).where('runner_id', '=', runnerId).where('revision', '=', String(revision))
        .where('monitor_id', '=', anyOf(changes.get(runnerId)!.keys())).execute();
    }
  }

  /** Changes after `since`, latest change per monitor. */
  async changesSince(db: Db, runnerId: string, since: number): Promise<Map<string, 'upsert' | 'remove'>> {
    const rows = await db.selectFrom('runner_changes').select(['monitor_id', 'change']).where('runner_id', '=', runnerId).where('revision', '>', String(since)).orderBy('revision').execute();
    return new Map(rows.map((r) => [r.monitor_id, r.change]));
  }

  /** The runner has applied everything up to `revision`: its older change rows can go. */
  async acknowledge(db: Db, runnerId: string, revision: number): Promise<void> {
    await db.updateTable('runners').set({ acked_revision: String(revision) }).where('id', '=', runnerId).where('acked_revision', '<', String(revision)).execute();
    await db.deleteFrom('runner_changes').where('runner_id', '=', runnerId).where('revision', '<=', String(revision)).execute();
  }

  /** Monitors whose slot this runner owns (all, or those of `ids`); the only source of the assignment feed. */
  async ownedMonitors(db: Db, runnerId: string, ids?: readonly string[]): Promise<SpecRow[]> {
    if (ids && ids.length === 0) return [];
    let query = db.selectFrom('monitors as m').innerJoin('slot_assignments as s', 's.monitor_id', 'm.id').selectAll('m').where('s.runner_id', '=', runnerId);
    // One array parameter: an answer after a replan may carry 10,000 changed monitors.
    if (ids) query = query.where('m.id', '=', anyOf(ids));
    const box = this.secrets;
    if (!box) throw new Error('RunnerRepository reads the assignment feed only with a SecretBox.');
    // A monitor whose secret headers no configured key opens runs without them (the box logs its id).
    return ((await query.execute()) as SpecRow[]).map((row) => ({ ...row, secrets: box.openOrNull({ table: 'monitors', id: row.id }, row.secrets) }));
  }

  /** Whether a confirmation check waits for this runner. */
  async hasPendingConfirmation(db: Db, runnerId: string): Promise<boolean> {
    const rows = await db.selectFrom('confirmation_requests').select('id').where('runner_id', '=', runnerId).where('delivered_at', 'is', null).limit(1).execute();
    return rows.length > 0;
  }

  /** Marks the runner's waiting confirmation requests delivered and returns them. */
  async takeConfirmations(db: Db, runnerId: string): Promise<Array<{ monitor_id: string; requested_at: Date; reason: string }>> {
    const rows = await db
      .updateTable('confirmation_requests')
      .set({ delivered_at: sql`now()` })
      .where('runner_id', '=', runnerId)
      .where('delivered_at', 'is', null)
      .returning(['monitor_id', 'requested_at', 'reason'])
      .execute();
    return rows.map((c) => ({ monitor_id: c.monitor_id, requested_at: new Date(c.requested_at), reason: c.reason }));
  }

  /**
   * Frees every slot of a monitor that is being deleted, inside the delete's transaction: the owning
   * runners get a "remove" change (their long polls see it within the recheck interval) and the
   * ownership history is closed. Without this the slot rows would vanish with the monitor and the
   * runners would never hear of it.
   */
  async releaseMonitorSlots(db: Db, monitorId: string): Promise<void> {
    const slots = await db.selectFrom('slot_assignments').select(['runner_id', 'region']).where('monitor_id', '=', monitorId).execute();
    for (const slot of slots) await this.recordChanges(db, slot.runner_id, new Map([[monitorId, 'remove']]));
    await db.updateTable('assignment_history').set({ to_at: sql`now()` }).where('monitor_id', '=', monitorId).where('to_at', 'is', null).execute();
    await db.deleteFrom('slot_assignments').where('monitor_id', '=', monitorId).execute();
  }

  /** When this runner owned these monitors in its region (ingest checks a result's start against it). */
  async ownership(db: Db, runnerId: string, region: string, monitorIds: readonly string[]): Promise<Array<{ monitor_id: string; from_at: Date; to_at: Date | null }>> {
    if (monitorIds.length === 0) return [];
    const rows = await db.selectFrom('assignment_history').select(['monitor_id', 'from_at', 'to_at']).where('runner_id', '=', runnerId).where('region', '=', region).where('monitor_id', '=', anyOf(monitorIds)).execute();
    return rows.map((h) => ({ monitor_id: h.monitor_id, from_at: new Date(h.from_at), to_at: h.to_at === null ? null : new Date(h.to_at) }));
  }

  /** The owners of a monitor's slots, each with its region's state and whether it has a confirmation waiting for it. */
  async confirmationTargets(db: Db, monitorId: string): Promise<Array<{ region: string; runner_id: string; state: string | null; pending: boolean }>> {
    const { rows } = await sql<{ region: string; runner_id: string; state: string | null; pending: boolean }>`
      SELECT a.region, a.runner_id, s.state,
             EXISTS (SELECT 1 FROM confirmation_requests c WHERE c.monitor_id = a.monitor_id AND c.runner_id = a.runner_id AND c.delivered_at IS NULL) AS pending
      FROM slot_assignments a LEFT JOIN slot_states s ON s.monitor_id = a.monitor_id AND s.region = a.region
      WHERE a.monitor_id = ${monitorId}`.execute(db);
    return rows;
  }

  /** Asks a runner for an immediate check of a monitor. */
  async requestConfirmation(db: Db, row: { id: string; org_id: string; monitor_id: string; runner_id: string; region: string; for_region: string; reason: string }): Promise<void> {
    await db.insertInto('confirmation_requests').values({ ...row, requested_at: new Date() }).execute();
  }

  /** Forgets runners that have been gone for a day (their history rows stay). */
  async purgeGone(db: Db): Promise<void> {
    await db.deleteFrom('runners').where('lease_expires_at', '<', sql<Date>`now() - interval '1 day'`).execute();
  }
}
