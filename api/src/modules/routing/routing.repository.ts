import type { Db } from '../../db/database.ts';
import type { MaintenanceWindowInput } from '../../contract/alerting.schema.ts';
import type { MutingWindow } from './muting.ts';
import type { StoredPolicy } from './stored-policy.ts';

/** Queries the routing engine and routing policy checks need. Every query is scoped by organization. */
export class RoutingRepository {
  /** Every routing policy of the organization with its team's name (null for organization policies), in id order. */
  async policiesOfOrg(db: Db, orgId: string): Promise<StoredPolicy[]> {
    const rows = await db
      .selectFrom('routing_policies as p')
      .leftJoin('teams as t', (join) => join.onRef('t.id', '=', 'p.team_id').onRef('t.org_id', '=', 'p.org_id'))
      .select(['p.id', 'p.name', 'p.team_id', 't.name as team_name', 'p.spec'])
      .where('p.org_id', '=', orgId)
      .orderBy('p.id')
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, team_id: r.team_id ?? null, team_name: r.team_name ?? null, spec: r.spec }));
  }

  /** One policy's owner and parent, for walking up a tree on write. */
  async policyLink(db: Db, orgId: string, id: string): Promise<{ id: string; team_id: string | null; parent_id: string | undefined } | undefined> {
    const row = await db.selectFrom('routing_policies').select(['id', 'team_id', 'spec']).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const parent = (row.spec as { parent_id?: unknown }).parent_id;
    return { id: row.id, team_id: row.team_id ?? null, parent_id: typeof parent === 'string' ? parent : undefined };
  }

  /** Owner team of each named channel of the organization. */
  async channelTeams(db: Db, orgId: string, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('channels').select(['id', 'team_id']).where('org_id', '=', orgId).where('id', 'in', [...ids]).execute();
    return new Map(rows.map((r) => [r.id, r.team_id]));
  }

  /** Id, name, type and team of the named channels. */
  async channels(db: Db, orgId: string, ids: readonly string[]): Promise<Array<{ id: string; name: string; type: string; team_id: string }>> {
    if (ids.length === 0) return [];
    const rows = await db.selectFrom('channels').select(['id', 'name', 'type', 'team_id']).where('org_id', '=', orgId).where('id', 'in', [...ids]).execute();
    return rows.map((r) => ({ id: r.id, name: r.name, type: r.type ?? '', team_id: r.team_id }));
  }

  /**
   * Every maintenance window of the organization as muting needs it: the names of what it covers
   * (alert labels carry service and monitor names; windows store ids). A covered service or monitor
   * deleted since is left out.
   */
  async mutingWindowsOfOrg(db: Db, orgId: string): Promise<MutingWindow[]> {
    const rows = await db
      .selectFrom('maintenance_windows as w')
      .innerJoin('teams as t', (join) => join.onRef('t.id', '=', 'w.team_id').onRef('t.org_id', '=', 'w.org_id'))
      .select(['w.id', 'w.spec', 't.name as team_name'])
      .where('w.org_id', '=', orgId)
      .orderBy('w.id')
      .execute();
    const specs = rows.map((r) => r.spec as MaintenanceWindowInput);
    const serviceIds = [...new Set(specs.flatMap((s) => s.service_ids ?? []))];
    const monitorIds = [...new Set(specs.flatMap((s) => s.monitor_ids ?? []))];
    const services = serviceIds.length ? await db.selectFrom('services').select(['id', 'name']).where('org_id', '=', orgId).where('id', 'in', serviceIds).execute() : [];
    const monitors = monitorIds.length
      ? await db.selectFrom('monitors as m').innerJoin('services as s', 's.id', 'm.service_id').select(['m.id', 'm.name', 's.name as service_name']).where('m.org_id', '=', orgId).where('m.id', 'in', monitorIds).execute()
      : [];
    const serviceName = new Map(services.map((s) => [s.id, s.name]));
    const monitorName = new Map(monitors.map((m) => [m.id, { service: m.service_name, monitor: m.name }]));
    return rows.map((r, i) => {
      const spec = specs[i]!;
      return {
        id: r.id,
        name: spec.name,
        team: r.team_name,
        starts_at: spec.starts_at,
        ends_at: spec.ends_at,
        ...(spec.recurrence ? { recurrence: spec.recurrence } : {}),
        mute_notifications: spec.mute_notifications !== false,
        whole_team: (spec.service_ids ?? []).length === 0 && (spec.monitor_ids ?? []).length === 0,
        services: (spec.service_ids ?? []).flatMap((id) => serviceName.get(id) ?? []),
        monitors: (spec.monitor_ids ?? []).flatMap((id) => monitorName.get(id) ?? []),
      };
    });
  }
}
