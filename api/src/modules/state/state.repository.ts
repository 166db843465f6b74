import { sql } from 'kysely';
import type { SlotCause, State } from '../../contract/state.schema.ts';
import type { Db } from '../../db/database.ts';
import { prepared } from '../../db/prepared-statements.ts';
import { newId } from '../../shared/ids.ts';
import { EventLogRepository } from '../events/event-log.repository.ts';
import type { SlotCounters } from './state.machine.ts';
import { anyOf } from '../../db/any-of.ts';

export interface SlotStateRow extends SlotCounters {
  monitorId: string;
  region: string;
  lastResultId: string | null;
  lastResultAt: Date | null;
  lastError: string | null;
  /** Why the slot is unknown without a result saying so (e.g. no_runner); null once a result applies. */
  cause: SlotCause | null;
}

export interface TransitionRecord {
  orgId: string;
  subjectType: 'slot' | 'monitor' | 'service' | 'edge';
  subjectId: string;
  region: string | null;
  from: State;
  to: State;
  at: Date;
  cause: Record<string, unknown>;
}

/** A slot's state and why it is unknown without a result saying so. */
export interface SlotCauseRow {
  monitorId: string;
  region: string;
  state: State;
  since: Date;
  cause: SlotCause | null;
}

/** A slot that has been quiet for longer than its no-data threshold (by the SQL prefilter). */
export interface QuietSlotRow {
  orgId: string;
  monitorId: string;
  serviceId: string | null;
  dependencyId: string | null;
  region: string;
  spec: unknown;
  quietSince: Date;
  /** The slot has a slot_states row (else: assigned, never reported). */
  stored: boolean;
  assignedAt: Date | null;
}

const pairs = (slots: ReadonlyArray<{ monitorId: string; region: string }>) => JSON.stringify(slots.map((s) => ({ monitor_id: s.monitorId, region: s.region })));

/** The key of a slot in the maps this repository returns: "<monitor id>@<region>". */
export const slotStateKey = (s: { monitorId: string; region: string }) => `${s.monitorId}@${s.region}`;

/** SQL for current states (slot, monitor, service, edge) and their transition history. */
/** A slot that stayed unknown while its cause changed. */
export interface CauseChange {
  orgId: string;
  monitorId: string;
  region: string;
  cause: 'no_data' | 'no_runner' | null;
  at: Date;
}

/**
 * slot_states rows (as the driver returns them, or as JSON: timestamps as text) by slot key; what
 * lockSlots returns, and what ingest's store statement returns of the slots it locked.
 */
export function slotStatesByKey(rows: ReadonlyArray<Record<string, unknown>>): Map<string, SlotStateRow> {
  return new Map(rows.map((r) => [slotStateKey({ monitorId: String(r.monitor_id), region: String(r.region) }), {
    monitorId: String(r.monitor_id), region: String(r.region), state: r.state as State, since: new Date(r.since as string),
    failures: Number(r.failures), degraded: Number(r.degraded), successes: Number(r.successes),
    lastResultId: (r.last_result_id as string | null) ?? null, lastResultAt: r.last_result_at ? new Date(r.last_result_at as string) : null, lastError: (r.last_error as string | null) ?? null,
    cause: (r.cause as SlotCause | null) ?? null,
  }]));
}

export class StateRepository {
  // Repositories hold no state: a default instance is as good as a shared one.
  constructor(private readonly events: EventLogRepository = new EventLogRepository()) {}

  /** Slot states, locked for update, in a stable order (no deadlocks between concurrent batches). */
  async lockSlots(db: Db, slots: ReadonlyArray<{ monitorId: string; region: string }>): Promise<Map<string, SlotStateRow>> {
    if (slots.length === 0) return new Map();
    const { rows } = await sql<Record<string, unknown>>`
      SELECT s.* FROM slot_states s JOIN jsonb_to_recordset(${pairs(slots)}::jsonb) AS x(monitor_id text, region text)
        ON s.monitor_id = x.monitor_id AND s.region = x.region
      ORDER BY s.monitor_id, s.region FOR UPDATE OF s`.execute(db);
    return slotStatesByKey(rows);
  }

  async saveSlots(db: Db, orgId: string, slots: readonly SlotStateRow[]): Promise<void> {
    if (slots.length === 0) return;
    const rows = slots.map((s) => ({
      org_id: orgId, monitor_id: s.monitorId, region: s.region, state: s.state, since: s.since.toISOString(), failures: s.failures, degraded: s.degraded,
      successes: s.successes, last_result_id: s.lastResultId, last_result_at: s.lastResultAt?.toISOString() ?? null, last_error: s.lastError, cause: s.cause,
    }));
    await sql`${prepared}
      INSERT INTO slot_states (org_id, monitor_id, region, state, since, failures, degraded, successes, last_result_id, last_result_at, last_error, cause)
      SELECT x.org_id, x.monitor_id, x.region, x.state, x.since, x.failures, x.degraded, x.successes, x.last_result_id, x.last_result_at, x.last_error, x.cause
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(org_id text, monitor_id text, region text, state text, since timestamptz, failures integer,
           degraded integer, successes integer, last_result_id text, last_result_at timestamptz, last_error text, cause text)
      ON CONFLICT (monitor_id, region) DO UPDATE SET state = excluded.state, since = excluded.since, failures = excluded.failures, degraded = excluded.degraded,
        successes = excluded.successes, last_result_id = excluded.last_result_id, last_result_at = excluded.last_result_at, last_error = excluded.last_error,
        cause = excluded.cause`.execute(db);
  }

  /** Slots that carry this cause, of the organization or of some of its monitors. */
  async slotsWithCause(db: Db, orgId: string, cause: SlotCause, monitorIds?: readonly string[]): Promise<Array<{ monitorId: string; region: string }>> {
    if (monitorIds && monitorIds.length === 0) return [];
    let query = db.selectFrom('slot_states').select(['monitor_id', 'region']).where('org_id', '=', orgId).where('cause', '=', cause);
    if (monitorIds) query = query.where('monitor_id', '=', anyOf(monitorIds));
    const rows = await query.execute();
    return rows.map((r) => ({ monitorId: r.monitor_id, region: r.region }));
  }

  /** Clears the cause of these slots (a runner took them; their state waits for its first result). */
  async clearCause(db: Db, slots: ReadonlyArray<{ monitorId: string; region: string }>): Promise<void> {
    if (slots.length === 0) return;
    await sql`UPDATE slot_states s SET cause = NULL FROM jsonb_to_recordset(${pairs(slots)}::jsonb) AS x(monitor_id text, region text)
              WHERE s.monitor_id = x.monitor_id AND s.region = x.region`.execute(db);
  }

  /**
   * Per slot of the organization (or of some of its monitors): its state and why it is unknown when
   * no result says so (no_runner, no_data; null otherwise). What alert functions such as
   * unknown(...) and no_data(...) read.
   */
  async causes(db: Db, orgId: string, monitorIds?: readonly string[]): Promise<SlotCauseRow[]> {
    if (monitorIds && monitorIds.length === 0) return [];
    let query = db.selectFrom('slot_states').select(['monitor_id', 'region', 'state', 'since', 'cause']).where('org_id', '=', orgId);
    if (monitorIds) query = query.where('monitor_id', '=', anyOf(monitorIds));
    const rows = await query.orderBy('monitor_id').orderBy('region').execute();
    return rows.map((r) => ({ monitorId: r.monitor_id, region: r.region, state: r.state as State, since: new Date(r.since), cause: (r.cause as SlotCause | null) ?? null }));
  }

  /**
   * The next stretch of the fleet the no-data sweep looks at: at most `chunk` monitors (every
   * organization, by id) after `after` (from the first when ''). `last` is the highest id in the
   * stretch, null when there is none; `monitors` how many it holds. An index range of monitors_pkey.
   */
  async monitorStretch(db: Db, after: string, chunk: number): Promise<{ last: string | null; monitors: number }> {
    const { rows } = await sql<{ last: string | null; n: number | string }>`
      SELECT max(id) AS last, count(*) AS n FROM (SELECT id FROM monitors WHERE id > ${after} ORDER BY id LIMIT ${chunk}) c`.execute(db);
    return { last: rows[0]?.last ?? null, monitors: Number(rows[0]?.n ?? 0) };
  }

  /**
   * Slots of enabled probe monitors with an id in (after, last] (every organization) with no result
   * for longer than the threshold allows and no cause yet: stored slots, and assigned slots that
   * never reported. Quiet since the latest of the last result, the last state change and the
   * current assignment (a slot that just moved or just got a runner is not quiet). Oldest first, at
   * most `limit`. The id range keeps each read to the index ranges of one stretch of the fleet (see
   * monitorStretch), so a run costs the stretch, not the fleet. The threshold is computed in SQL
   * only to bound the scan; callers confirm each candidate with the pure rule (noDataAfterSeconds).
   */
  async quietSlots(db: Db, q: { now: Date; after: string; last: string; leaseSeconds: number; defaultIntervalSeconds: number; defaultTimeoutSeconds: number; limit: number }): Promise<QuietSlotRow[]> {
    const { after, last } = q;
    // Kept flat (no fenced subquery computing each monitor's threshold once, which read 35 % less):
    // before the tables are analyzed, as after a bulk load, the planner takes a stretch for a few
    // rows, and only a flat join can then probe monitors_pkey per slot instead of nesting loops.
    const { rows } = await sql<{ org_id: string; monitor_id: string; service_id: string | null; dependency_id: string | null; region: string; spec: unknown; quiet_since: Date | string; stored: boolean; assigned_at: Date | string | null }>`
      SELECT * FROM (
        SELECT m.org_id, m.id AS monitor_id, m.service_id, m.dependency_id, coalesce(s.region, a.region) AS region, m.spec,
               greatest(s.last_result_at, s.since, a.assigned_at) AS quiet_since, s.monitor_id IS NOT NULL AS stored, a.assigned_at,
               coalesce((m.spec ->> 'interval_seconds')::float8, ${q.defaultIntervalSeconds}) AS iv,
               coalesce((m.spec ->> 'timeout_seconds')::float8, ${q.defaultTimeoutSeconds}) AS tmo
        FROM (SELECT * FROM slot_states WHERE monitor_id > ${after} AND monitor_id <= ${last}) s
        FULL JOIN (SELECT * FROM slot_assignments WHERE monitor_id > ${after} AND monitor_id <= ${last}) a ON a.monitor_id = s.monitor_id AND a.region = s.region
        JOIN monitors m ON m.id = coalesce(s.monitor_id, a.monitor_id)
        WHERE m.id > ${after} AND m.id <= ${last} AND s.cause IS NULL AND m.type <> 'heartbeat' AND coalesce((m.spec ->> 'enabled')::boolean, true)
      ) x
      WHERE x.quiet_since < ${q.now.toISOString()}::timestamptz - greatest(2 * x.iv, x.iv + x.tmo + ${q.leaseSeconds}) * interval '1 second'
      ORDER BY x.quiet_since LIMIT ${q.limit}`.execute(db);
    return rows.map((r) => ({
      orgId: r.org_id, monitorId: r.monitor_id, serviceId: r.service_id, dependencyId: r.dependency_id, region: r.region, spec: r.spec, quietSince: new Date(r.quiet_since), stored: r.stored,
      assignedAt: r.assigned_at ? new Date(r.assigned_at) : null,
    }));
  }

  /** Inserts rows for slots that have none yet; a row written meanwhile (a first result) wins. */
  async insertSlotsIfAbsent(db: Db, orgId: string, slots: readonly SlotStateRow[]): Promise<void> {
    if (slots.length === 0) return;
    await db
      .insertInto('slot_states')
      .values(slots.map((s) => ({ org_id: orgId, monitor_id: s.monitorId, region: s.region, state: s.state, since: s.since, failures: s.failures, degraded: s.degraded, successes: s.successes, last_result_id: s.lastResultId, last_result_at: s.lastResultAt, last_error: s.lastError, cause: s.cause })))
      .onConflict((oc) => oc.columns(['monitor_id', 'region']).doNothing())
      .execute();
  }

  /** Deletes the rows of slots that no longer exist (a region removed from a monitor). */
  async deleteSlots(db: Db, slots: ReadonlyArray<{ monitorId: string; region: string }>): Promise<void> {
    if (slots.length === 0) return;
    await sql`DELETE FROM slot_states s USING jsonb_to_recordset(${pairs(slots)}::jsonb) AS x(monitor_id text, region text)
              WHERE s.monitor_id = x.monitor_id AND s.region = x.region`.execute(db);
  }

  /** States of every slot of these monitors. */
  async slotsOf(db: Db, monitorIds: readonly string[]) {
    if (monitorIds.length === 0) return [];
    return db.selectFrom('slot_states').selectAll().where('monitor_id', '=', anyOf(monitorIds)).execute();
  }

  /** Regions that currently own a slot of each monitor. */
  async assignedRegions(db: Db, monitorIds: readonly string[]): Promise<Map<string, Set<string>>> {
    const map = new Map<string, Set<string>>();
    if (monitorIds.length === 0) return map;
    const rows = await db.selectFrom('slot_assignments').select(['monitor_id', 'region']).where('monitor_id', '=', anyOf(monitorIds)).execute();
    for (const r of rows) map.set(r.monitor_id, (map.get(r.monitor_id) ?? new Set()).add(r.region));
    return map;
  }

  async lockMonitors(db: Db, ids: readonly string[]): Promise<Map<string, { state: State; since: Date }>> {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('monitor_states').select(['monitor_id', 'state', 'since']).where('monitor_id', '=', anyOf(ids)).orderBy('monitor_id').forUpdate().execute();
    return new Map(rows.map((r) => [r.monitor_id, { state: r.state as State, since: new Date(r.since) }]));
  }

  async saveMonitor(db: Db, orgId: string, monitorId: string, state: State, since: Date, regionsDown: number, regionsTotal: number): Promise<void> {
    await db
      .insertInto('monitor_states')
      .values({ monitor_id: monitorId, org_id: orgId, state, since, regions_down: regionsDown, regions_total: regionsTotal, updated_at: new Date() })
      .onConflict((oc) => oc.column('monitor_id').doUpdateSet({ state, since, regions_down: regionsDown, regions_total: regionsTotal, updated_at: new Date() }))
      .execute();
  }

  /**
   * Each service's worst enabled monitor state, worstState's rule in SQL (down, degraded, up, else
   * unknown): one row per service rather than one per monitor, as a service may have thousands.
   * A service without enabled monitors has no entry (unknown).
   */
  async worstMonitorStates(db: Db, serviceIds: readonly string[]): Promise<Map<string, State>> {
    if (serviceIds.length === 0) return new Map();
    const rows = await db
      .selectFrom('monitors as m')
      .leftJoin('monitor_states as s', 's.monitor_id', 'm.id')
      .select(['m.service_id', sql<State>`CASE WHEN bool_or(s.state = 'down') THEN 'down' WHEN bool_or(s.state = 'degraded') THEN 'degraded' WHEN bool_or(s.state = 'up') THEN 'up' ELSE 'unknown' END`.as('state')])
      .where('m.service_id', '=', anyOf(serviceIds))
      .where(sql<boolean>`coalesce((m.spec ->> 'enabled')::boolean, true)`)
      .groupBy('m.service_id')
      .execute();
    return new Map(rows.map((r) => [String(r.service_id), r.state]));
  }

  async lockServices(db: Db, ids: readonly string[]): Promise<Map<string, { state: State; since: Date }>> {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('service_states').select(['service_id', 'state', 'since']).where('service_id', '=', anyOf(ids)).orderBy('service_id').forUpdate().execute();
    return new Map(rows.map((r) => [r.service_id, { state: r.state as State, since: new Date(r.since) }]));
  }

  async saveService(db: Db, orgId: string, serviceId: string, state: State, since: Date): Promise<void> {
    await db
      .insertInto('service_states')
      .values({ service_id: serviceId, org_id: orgId, state, since, updated_at: new Date() })
      .onConflict((oc) => oc.column('service_id').doUpdateSet({ state, since, updated_at: new Date() }))
      .execute();
  }

  /**
   * Locks the slot and monitor state rows of these monitors, in the order ingest takes them (slots,
   * then monitors), so a transaction that goes on to lock edge states cannot deadlock with an ingest.
   */
  async lockMonitorRows(db: Db, monitorIds: readonly string[]): Promise<void> {
    if (monitorIds.length === 0) return;
    await db.selectFrom('slot_states').select('monitor_id').where('monitor_id', '=', anyOf(monitorIds)).orderBy('monitor_id').orderBy('region').forUpdate().execute();
    await this.lockMonitors(db, monitorIds);
  }

  /** Edge states, locked for update, in a stable order. */
  async lockEdges(db: Db, ids: readonly string[]): Promise<Map<string, { state: State; since: Date }>> {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('edge_states').select(['dependency_id', 'state', 'since']).where('dependency_id', '=', anyOf(ids)).orderBy('dependency_id').forUpdate().execute();
    return new Map(rows.map((r) => [r.dependency_id, { state: r.state as State, since: new Date(r.since) }]));
  }

  /** The two services of each of these edges of the organization (absent: the edge no longer exists). */
  async edgeEnds(db: Db, orgId: string, ids: readonly string[]): Promise<Map<string, { serviceId: string; dependsOnServiceId: string }>> {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('dependencies').select(['id', 'service_id', 'depends_on_service_id']).where('org_id', '=', orgId).where('id', '=', anyOf(ids)).execute();
    return new Map(rows.map((r) => [r.id, { serviceId: r.service_id, dependsOnServiceId: r.depends_on_service_id }]));
  }

  /** Monitor states of every enabled monitor that names one of these edges. */
  async monitorStatesOfEdges(db: Db, orgId: string, dependencyIds: readonly string[]): Promise<Array<{ dependency_id: string; id: string; state: string | null }>> {
    if (dependencyIds.length === 0) return [];
    const rows = await db
      .selectFrom('monitors as m')
      .leftJoin('monitor_states as s', 's.monitor_id', 'm.id')
      .select(['m.dependency_id', 'm.id', 's.state'])
      .where('m.org_id', '=', orgId)
      .where('m.dependency_id', '=', anyOf(dependencyIds))
      .where(sql<boolean>`coalesce((m.spec ->> 'enabled')::boolean, true)`)
      .execute();
    return rows.map((r) => ({ dependency_id: r.dependency_id!, id: r.id, state: r.state }));
  }

  async saveEdge(db: Db, orgId: string, dependencyId: string, state: State, since: Date): Promise<void> {
    await db
      .insertInto('edge_states')
      .values({ dependency_id: dependencyId, org_id: orgId, state, since, updated_at: new Date() })
      .onConflict((oc) => oc.column('dependency_id').doUpdateSet({ state, since, updated_at: new Date() }))
      .execute();
  }

  /** Forgets the state of an edge no enabled monitor names any more (it reads as unmonitored). */
  async deleteEdge(db: Db, dependencyId: string): Promise<void> {
    await db.deleteFrom('edge_states').where('dependency_id', '=', dependencyId).execute();
  }

  /**
   * Records transitions in the history and, in the same transaction, in the event log that
   * consumers (alert evaluation) read, with the changes of cause of slots that stayed unknown (no
   * transition, but no_data(…) reads the cause); every caller runs this as its last write.
   */
  async addTransitions(db: Db, records: readonly TransitionRecord[], causes: readonly CauseChange[] = []): Promise<void> {
    if (records.length === 0 && causes.length === 0) return;
    if (records.length) {
      // One JSON parameter: a row of bind parameters per transition runs out at 7,281 transitions
      // (a region's runners lost with 10,000 monitors checked there).
      const rows = JSON.stringify(records.map((t) => ({ id: newId('transition'), org_id: t.orgId, subject_type: t.subjectType, subject_id: t.subjectId, region: t.region, from_state: t.from, to_state: t.to, at: t.at.toISOString(), cause: t.cause })));
      await sql`INSERT INTO state_transitions (id, org_id, subject_type, subject_id, region, from_state, to_state, at, cause)
                SELECT x.id, x.org_id, x.subject_type, x.subject_id, x.region, x.from_state, x.to_state, x.at, x.cause
                FROM jsonb_to_recordset(${rows}::jsonb) AS x(id text, org_id text, subject_type text, subject_id text, region text, from_state text, to_state text, at timestamptz, cause jsonb)`.execute(db);
    }
    await this.events.append(db, [
      ...records.map((t) => ({
        orgId: t.orgId, kind: 'state.transition' as const, at: t.at,
        payload: { subject_type: t.subjectType, subject_id: t.subjectId, region: t.region, from: t.from, to: t.to, cause: t.cause },
      })),
      ...causes.map((c) => ({ orgId: c.orgId, kind: 'slot.cause_changed' as const, at: c.at, payload: { monitor_id: c.monitorId, region: c.region, cause: c.cause } })),
    ]);
  }
}
