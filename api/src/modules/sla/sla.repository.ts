import { sql } from 'kysely';
import type { State } from '../../contract/state.schema.ts';
import type { Db } from '../../db/database.ts';
import type { MaintenanceWindowDoc } from './maintenance.expand.ts';
import type { RollupTotals } from './sla.math.ts';

// SQL of the SLA queries. Figures come from state_transitions and result_rollups only; raw
// check_results are never scanned. Every query is scoped by organization.

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

export class SlaRepository {
  async monitor(db: Db, orgId: string, id: string): Promise<SlaMonitorRow | undefined> {
    return (await this.monitorsWhere(db, orgId, 'id', [id]))[0];
  }

  /** Monitors of the given services, by name. */
  monitorsOfServices(db: Db, orgId: string, serviceIds: string[]): Promise<SlaMonitorRow[]> {
    return this.monitorsWhere(db, orgId, 'service_id', serviceIds);
  }

  private async monitorsWhere(db: Db, orgId: string, column: 'id' | 'service_id', values: string[]): Promise<SlaMonitorRow[]> {
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
   * Transitions of the subjects that matter for [from, to): for each subject (and region) the last
   * one at or before `from` (the state in force), then every one inside the window, in time order.
   */
  async transitions(db: Db, orgId: string, subjectType: 'slot' | 'monitor' | 'service', subjectIds: string[], from: Date, to: Date): Promise<TransitionRow[]> {
    if (subjectIds.length === 0) return [];
    const base = db
      .selectFrom('state_transitions')
      .select(['subject_id', 'region', 'to_state', 'at'])
      .where('org_id', '=', orgId)
      .where('subject_type', '=', subjectType)
      .where('subject_id', 'in', subjectIds);
    const [before, inside] = await Promise.all([
      base.distinctOn(['subject_id', 'region']).where('at', '<=', from).orderBy('subject_id').orderBy('region').orderBy('at', 'desc').orderBy('id', 'desc').execute(),
      base.where('at', '>', from).where('at', '<', to).orderBy('at').orderBy('id').execute(),
    ]);
    return [...before, ...inside].map((r) => ({ subject_id: r.subject_id, region: r.region, to_state: r.to_state as State, at: asDate(r.at) }));
  }

  /**
   * Rollup totals per monitor and region for buckets starting in [from, to), leaving out buckets
   * that start inside a monitor's excluded spans. The histogram is summed element-wise in SQL.
   */
  async rollups(db: Db, orgId: string, monitorIds: string[], resolution: 'minute' | 'hour', from: Date, to: Date, exclusions: RollupExclusion[]): Promise<RegionTotals[]> {
    if (monitorIds.length === 0) return [];
    const excludedMonitors = exclusions.map((e) => e.monitorId);
    const excludedStarts = exclusions.map((e) => e.start.toISOString());
    const excludedEnds = exclusions.map((e) => e.end.toISOString());
    const counted = sql`
      SELECT r.monitor_id, r.region, r.checks, r.up, r.degraded, r.down, r.sum_ms, r.max_ms, r.histogram
      FROM result_rollups r
      WHERE r.org_id = ${orgId}
        AND r.monitor_id = ANY(${monitorIds}::text[])
        AND r.resolution = ${resolution}
        AND r.bucket_start >= ${from.toISOString()}::timestamptz
        AND r.bucket_start < ${to.toISOString()}::timestamptz
        AND NOT EXISTS (
          SELECT 1 FROM unnest(${excludedMonitors}::text[], ${excludedStarts}::timestamptz[], ${excludedEnds}::timestamptz[]) AS x(monitor_id, s, e)
          WHERE x.monitor_id = r.monitor_id AND r.bucket_start >= x.s AND r.bucket_start < x.e
        )`;
    const totals = await sql<{ monitor_id: string; region: string; checks: string; up: string; degraded: string; down: string; sum_ms: number | string; max_ms: number | string }>`
      WITH counted AS (${counted})
      SELECT monitor_id, region, sum(checks) AS checks, sum(up) AS up, sum(degraded) AS degraded, sum(down) AS down,
             sum(sum_ms) AS sum_ms, max(max_ms) AS max_ms
      FROM counted GROUP BY monitor_id, region`.execute(db);
    const buckets = await sql<{ monitor_id: string; region: string; i: number | string; n: number | string }>`
      WITH counted AS (${counted})
      SELECT c.monitor_id, c.region, u.i, sum(u.n) AS n
      FROM counted c, unnest(c.histogram) WITH ORDINALITY AS u(n, i)
      GROUP BY c.monitor_id, c.region, u.i`.execute(db);
    const key = (monitorId: string, region: string) => `${monitorId}\u0000${region}`;
    const out = new Map<string, RegionTotals>();
    for (const r of totals.rows) {
      out.set(key(r.monitor_id, r.region), {
        monitorId: r.monitor_id,
        region: r.region,
        checks: Number(r.checks),
        up: Number(r.up),
        degraded: Number(r.degraded),
        down: Number(r.down),
        sumMs: Number(r.sum_ms),
        maxMs: Number(r.max_ms),
        histogram: [],
      });
    }
    for (const b of buckets.rows) {
      const t = out.get(key(b.monitor_id, b.region));
      if (t) t.histogram[Number(b.i) - 1] = Number(b.n);
    }
    for (const t of out.values()) t.histogram = Array.from(t.histogram, (n) => n ?? 0);
    return [...out.values()];
  }
}
