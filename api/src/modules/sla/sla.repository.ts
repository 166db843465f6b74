import { sql } from 'kysely';
import type { State } from '../../contract/state.schema.ts';
import type { Db } from '../../db/database.ts';
import type { MaintenanceWindowDoc } from './maintenance.expand.ts';
import type { Interval, RollupTotals } from './sla.math.ts';
import { oldestWholeDay, rollupPlan } from './rollup-days.plan.ts';
import { histogramSums } from './rollup-sums.sql.ts';

// SQL of the SLA queries. Figures come from state_transitions and the rollups only (result_rollups,
// result_rollup_hours, result_rollup_days); raw check_results are never scanned. Every query is scoped by organization.

export interface SlaMonitorRow {
  id: string;
  name: string;
  team_id: string;
  service_id: string;
  created_at: Date;
  regions: string[];
}

export interface SlaNamedRow {
  id: string;
  name: string;
  team_id: string;
  created_at: Date;
}

export interface TransitionRow {
  subject_id: string;
  region: string | null;
  to_state: State;
  at: Date;
}

/** A span during which one monitor's rollups are left out (maintenance excluded from SLA). */
export interface RollupExclusion {
  monitorId: string;
  start: Date;
  end: Date;
}

export interface RegionTotals extends RollupTotals {
  monitorId: string;
  region: string;
}

const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));
/** A Postgres bigint[] as numbers, whether the driver parsed it or left it as text ("{1,2,3}"). */
const parseIntArray = (v: Array<number | string> | string): number[] => (typeof v === 'string' ? v.replace(/[{}]/g, '').split(',').filter(Boolean) : v).map(Number);

/** The figures of summed rollup rows as numbers (pg answers bigint sums as strings, arrays as text on PGlite). */
export function rollupTotals(r: { checks: unknown; up: unknown; degraded: unknown; down: unknown; sum_ms: unknown; max_ms: unknown; histogram: Array<number | string> | string }) {
  return { checks: Number(r.checks), up: Number(r.up), degraded: Number(r.degraded), down: Number(r.down), sumMs: Number(r.sum_ms), maxMs: Number(r.max_ms), histogram: parseIntArray(r.histogram) };
}

const epoch = sql`timestamptz '1970-01-01 00:00:00+00'`;
/** The first hour boundary at or after `at`. */
const ceilHour = (at: ReturnType<typeof sql>) => sql`(date_bin('1 hour', ${at} - interval '1 microsecond', ${epoch}) + interval '1 hour')`;

/**
 * The hour (or minute) rows of the `spans` CTE, minus excluded buckets. Hours are what the view
 * result_rollup_hours answers: hour rows of the hours the rollup job built, minute rows (placed in
 * their hour) of the others, so the open hour counts and a figure does not depend on the job being
 * current. The view's two halves are written out here, each joined to the spans on the table's
 * own bucket_start: joined to the view itself, PostgreSQL could not push the spans' bounds into it
 * and read every rollup row of the window (12 s for one service at 10,000 monitors). A minute row
 * belongs to a span when its hour does: its hour starts in [s, e) exactly when the minute starts in
 * [ceil(s), ceil(e)).
 */
const hourRows = (resolution: 'minute' | 'hour', orgId: string, excluding: ReturnType<typeof sql>) =>
  resolution === 'minute'
    ? sql`
          SELECT r.monitor_id, r.region, r.checks, r.up, r.degraded, r.down, r.sum_ms, r.max_ms, r.histogram
          FROM spans q
          JOIN result_rollups r ON r.resolution = 'minute' AND r.monitor_id = q.monitor_id AND r.bucket_start >= q.s AND r.bucket_start < q.e
          WHERE r.org_id = ${orgId}${excluding}`
    : sql`
          SELECT r.monitor_id, r.region, r.checks, r.up, r.degraded, r.down, r.sum_ms, r.max_ms, r.histogram
          FROM spans q
          CROSS JOIN result_rollup_hours_built w
          JOIN result_rollups r ON r.resolution = 'hour' AND r.monitor_id = q.monitor_id AND r.bucket_start >= q.s AND r.bucket_start < q.e AND r.bucket_start < w.built_through
          WHERE r.org_id = ${orgId}${excluding}
          UNION ALL
          SELECT r.monitor_id, r.region, r.checks, r.up, r.degraded, r.down, r.sum_ms, r.max_ms, r.histogram
          FROM (
            SELECT m.monitor_id, m.region, date_bin('1 hour', m.bucket_start, ${epoch}) AS bucket_start, m.checks, m.up, m.degraded, m.down, m.sum_ms, m.max_ms, m.histogram
            FROM spans q
            CROSS JOIN result_rollup_hours_built w
            JOIN result_rollups m ON m.resolution = 'minute' AND m.monitor_id = q.monitor_id
              AND m.bucket_start >= greatest(w.built_through, ${ceilHour(sql`q.s`)}) AND m.bucket_start < ${ceilHour(sql`q.e`)}
            WHERE m.org_id = ${orgId}
          ) r
          WHERE true${excluding}`;

export class SlaRepository {
  async monitor(db: Db, orgId: string, id: string): Promise<SlaMonitorRow | undefined> {
    return (await this.monitorsWhere(db, orgId, 'id', [id]))[0];
  }

  /** Monitors of the given services, by name. */
  monitorsOfServices(db: Db, orgId: string, serviceIds: string[]): Promise<SlaMonitorRow[]> {
    return this.monitorsWhere(db, orgId, 'service_id', serviceIds);
  }

  /** Monitors that check a dependency edge (their dependency_id), by name. */
  monitorsOfDependency(db: Db, orgId: string, dependencyId: string): Promise<SlaMonitorRow[]> {
    return this.monitorsWhere(db, orgId, 'dependency_id', [dependencyId]);
  }

  /** A dependency edge, named "service → depends on", with its owning team and dependent service. */
  async dependency(db: Db, orgId: string, id: string): Promise<(SlaNamedRow & { service_id: string }) | undefined> {
    const row = await db
      .selectFrom('dependencies as d')
      .innerJoin('services as s', 's.id', 'd.service_id')
      .innerJoin('services as t', 't.id', 'd.depends_on_service_id')
      .select(['d.id', 'd.team_id', 'd.service_id', 'd.created_at', 's.name as service_name', 't.name as depends_on_name'])
      .where('d.org_id', '=', orgId)
      .where('d.id', '=', id)
      .executeTakeFirst();
    return row && { id: row.id, name: `${row.service_name} → ${row.depends_on_name}`, team_id: row.team_id, service_id: row.service_id, created_at: asDate(row.created_at) };
  }

  private async monitorsWhere(db: Db, orgId: string, column: 'id' | 'service_id' | 'dependency_id', values: string[]): Promise<SlaMonitorRow[]> {
    if (values.length === 0) return [];
    const rows = await db
      .selectFrom('monitors')
      .select(['id', 'name', 'team_id', 'service_id', 'created_at', sql<string[] | null>`spec -> 'regions'`.as('regions')])
      .where('org_id', '=', orgId)
      .where(column, 'in', values)
      .orderBy('name')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, team_id: r.team_id, service_id: r.service_id ?? '', created_at: asDate(r.created_at), regions: Array.isArray(r.regions) ? r.regions : [] }));
  }

  async service(db: Db, orgId: string, id: string): Promise<SlaNamedRow | undefined> {
    const row = await db.selectFrom('services').select(['id', 'name', 'team_id', 'created_at']).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return row && { ...row, created_at: asDate(row.created_at) };
  }

  /** The given services (those of the organization), by name. */
  async services(db: Db, orgId: string, ids: string[]): Promise<SlaNamedRow[]> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom('services').select(['id', 'name', 'team_id', 'created_at']).where('org_id', '=', orgId).where('id', 'in', ids).orderBy('name').orderBy('id').execute();
    return rows.map((r) => ({ ...r, created_at: asDate(r.created_at) }));
  }

  /** Services of a team, by name. */
  async servicesOfTeam(db: Db, orgId: string, teamId: string): Promise<SlaNamedRow[]> {
    const rows = await db.selectFrom('services').select(['id', 'name', 'team_id', 'created_at']).where('org_id', '=', orgId).where('team_id', '=', teamId).orderBy('name').orderBy('id').execute();
    return rows.map((r) => ({ ...r, created_at: asDate(r.created_at) }));
  }

  async team(db: Db, orgId: string, id: string): Promise<{ id: string; name: string; created_at: Date } | undefined> {
    const row = await db.selectFrom('teams').select(['id', 'name', 'created_at']).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    return row && { ...row, created_at: asDate(row.created_at) };
  }

  /** Maintenance windows of the given teams that take time out of SLA figures. */
  async slaWindows(db: Db, orgId: string, teamIds: string[]): Promise<MaintenanceWindowDoc[]> {
    if (teamIds.length === 0) return [];
    const rows = await db
      .selectFrom('maintenance_windows')
      .select(['id', 'name', 'team_id', 'spec'])
      .where('org_id', '=', orgId)
      .where('team_id', 'in', teamIds)
      .where(sql<boolean>`coalesce((spec ->> 'exclude_from_sla')::boolean, true)`)
      .orderBy('id')
      .execute();
    return rows.map((r) => {
      const spec = r.spec as unknown as Omit<MaintenanceWindowDoc, 'id' | 'name' | 'team_id'>;
      return { ...spec, id: r.id, name: r.name, team_id: r.team_id };
    });
  }

  /**
   * Transitions of the subjects that matter for [from, to): for each subject (and, for slots, each
   * region) the last one at or before `from` (the state in force), then every one inside the window.
   * Slot regions are the given ones, those in slot_states and those seen inside the window.
   */
  async transitions(db: Db, orgId: string, subjectType: 'slot' | 'monitor' | 'service' | 'edge', subjectIds: string[], from: Date, to: Date, knownRegions: ReadonlyMap<string, readonly string[]> = new Map()): Promise<TransitionRow[]> {
    if (subjectIds.length === 0) return [];
    const inside = await db
      .selectFrom('state_transitions')
      .select(['subject_id', 'region', 'to_state', 'at'])
      .where('org_id', '=', orgId)
      .where('subject_type', '=', subjectType)
      .where('subject_id', 'in', subjectIds)
      .where('at', '>', from)
      .where('at', '<', to)
      .orderBy('at')
      .orderBy('id')
      .execute();
    const pairs = new Map<string, [string, string | null]>();
    const add = (id: string, region: string | null) => pairs.set(`${id}\u0000${region ?? ''}`, [id, region]);
    if (subjectType === 'slot') {
      const current = await db.selectFrom('slot_states').select(['monitor_id', 'region']).where('org_id', '=', orgId).where('monitor_id', 'in', subjectIds).execute();
      for (const c of current) add(c.monitor_id, c.region);
      for (const [id, regions] of knownRegions) for (const region of regions) add(id, region);
      for (const r of inside) add(r.subject_id, r.region);
    } else for (const id of subjectIds) add(id, null);
    const list = [...pairs.values()];
    // One index probe per subject: the newest transition at or before `from`, walking
    // (subject_type, subject_id, at) backwards, instead of reading the whole history.
    const before = list.length === 0 ? { rows: [] } : await sql<{ subject_id: string; region: string | null; to_state: string; at: Date | string }>`
      SELECT p.subject_id, p.region, t.to_state, t.at
      FROM unnest(${list.map(([id]) => id)}::text[], ${list.map(([, region]) => region)}::text[]) AS p(subject_id, region)
      CROSS JOIN LATERAL (
        SELECT s.to_state, s.at FROM state_transitions s
        WHERE s.subject_type = ${subjectType} AND s.subject_id = p.subject_id AND s.org_id = ${orgId}
          AND s.region IS NOT DISTINCT FROM p.region AND s.at <= ${from.toISOString()}::timestamptz
        ORDER BY s.at DESC, s.id DESC LIMIT 1
      ) t`.execute(db);
    return [...before.rows, ...inside].map((r) => ({ subject_id: r.subject_id, region: r.region, to_state: r.to_state as State, at: asDate(r.at) }));
  }

  /**
   * Rollup totals per monitor and region for buckets starting in [from, to), leaving out buckets
   * that start inside a monitor's excluded spans. The histogram is summed element-wise in SQL.
   * Over hour rollups, whole days are read from day rollups where they answer the same hours
   * (rollup-days.plan.ts): a day the job derived and no late write marked since; one statement, so
   * one snapshot of the rollups and of the bookkeeping that says which rows answer.
   */
  async rollups(db: Db, orgId: string, monitorIds: string[], resolution: 'minute' | 'hour', from: Date, to: Date, exclusions: RollupExclusion[], now: number = Date.now()): Promise<RegionTotals[]> {
    if (monitorIds.length === 0) return [];
    const excluded = new Map<string, Interval[]>();
    for (const e of exclusions) excluded.set(e.monitorId, [...(excluded.get(e.monitorId) ?? []), { start: e.start.getTime(), end: e.end.getTime() }]);
    const plan = resolution === 'hour'
      ? rollupPlan(monitorIds, from.getTime(), to.getTime(), excluded, oldestWholeDay(now))
      : { hours: monitorIds.map((monitorId) => ({ monitorId, start: from.getTime(), end: to.getTime() })), candidates: [] };
    const iso = (ms: number) => new Date(ms).toISOString();
    const excluding = exclusions.length === 0 ? sql`` : sql`
          AND NOT EXISTS (
            SELECT 1 FROM unnest(${exclusions.map((e) => e.monitorId)}::text[], ${exclusions.map((e) => e.start.toISOString())}::timestamptz[], ${exclusions.map((e) => e.end.toISOString())}::timestamptz[]) AS x(monitor_id, s, e)
            WHERE x.monitor_id = r.monitor_id AND r.bucket_start >= x.s AND r.bucket_start < x.e
          )`;
    const hourSpans = sql`SELECT q.monitor_id, q.s, q.e FROM unnest(${plan.hours.map((h) => h.monitorId)}::text[], ${plan.hours.map((h) => iso(h.start))}::timestamptz[], ${plan.hours.map((h) => iso(h.end))}::timestamptz[]) AS q(monitor_id, s, e)`;
    const body = plan.candidates.length === 0
      ? sql`
        WITH spans AS (${hourSpans}),
        rows AS (${hourRows(resolution, orgId, excluding)})`
      : sql`
        WITH candidates AS (
          SELECT c.monitor_id, c.day FROM unnest(${plan.candidates.map((c) => c.monitorId)}::text[], ${plan.candidates.map((c) => iso(c.day))}::timestamptz[]) AS c(monitor_id, day)
        ), answered AS (
          SELECT c.monitor_id, c.day FROM candidates c
          WHERE EXISTS (SELECT 1 FROM result_rollup_days_derived k WHERE k.day = c.day)
            AND c.day + interval '1 day' <= (SELECT w.built_through FROM result_rollup_hours_built w)
            AND NOT EXISTS (SELECT 1 FROM result_rollup_days_dirty x WHERE x.monitor_id = c.monitor_id AND x.day = c.day)
        ), spans AS (
          ${hourSpans}
          UNION ALL
          SELECT c.monitor_id, c.day, c.day + interval '1 day' FROM candidates c
          WHERE NOT EXISTS (SELECT 1 FROM answered a WHERE a.monitor_id = c.monitor_id AND a.day = c.day)
        ), rows AS (
          ${hourRows(resolution, orgId, excluding)}
          UNION ALL
          SELECT d.monitor_id, d.region, d.checks, d.up, d.degraded, d.down, d.sum_ms, d.max_ms, d.histogram
          FROM answered a JOIN result_rollup_days d ON d.monitor_id = a.monitor_id AND d.day = a.day
          WHERE d.org_id = ${orgId}
        )`;
    const result = await sql<{ monitor_id: string; region: string; checks: string; up: string; degraded: string; down: string; sum_ms: number | string; max_ms: number | string; histogram: Array<number | string> | string }>`
      ${body}
      SELECT r.monitor_id, r.region, sum(r.checks) AS checks, sum(r.up) AS up, sum(r.degraded) AS degraded, sum(r.down) AS down,
             sum(r.sum_ms) AS sum_ms, max(r.max_ms) AS max_ms, ARRAY[${histogramSums('r')}]::bigint[] AS histogram
      FROM rows r
      GROUP BY r.monitor_id, r.region`.execute(db);
    return result.rows.map((r) => ({
      monitorId: r.monitor_id,
      region: r.region,
      ...rollupTotals(r),
    }));
  }
}
