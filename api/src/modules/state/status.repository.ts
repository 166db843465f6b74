import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** SQL for the read side of monitoring state: the status board, a monitor's state and its transitions. */
export class StatusRepository {
  /** A monitor of the organization with its owning team and spec. */
  async monitor(db: Db, orgId: string, id: string) {
    return db.selectFrom('monitors').select(['id', 'team_id', 'spec']).where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  }

  /** A monitor's overall state row, its slot states (by region) and who owns each slot. */
  async monitorState(db: Db, monitorId: string) {
    const [state, slots, owners] = await Promise.all([
      db.selectFrom('monitor_states').selectAll().where('monitor_id', '=', monitorId).executeTakeFirst(),
      db.selectFrom('slot_states').selectAll().where('monitor_id', '=', monitorId).orderBy('region').execute(),
      db.selectFrom('slot_assignments').select(['region', 'runner_id']).where('monitor_id', '=', monitorId).execute(),
    ]);
    return { state, slots, owners };
  }

  /** Services of the organization (of these teams; of one team) with their states, by name; a page of them after the name `after`. */
  async services(db: Db, orgId: string, q: { teams?: readonly string[] | undefined; teamId?: string | undefined; after?: string | undefined; limit?: number | undefined }) {
    let query = db.selectFrom('services as s').leftJoin('service_states as st', 'st.service_id', 's.id').select(['s.id', 's.name', 's.team_id', 's.type', 'st.state', 'st.since']).where('s.org_id', '=', orgId);
    if (q.teams) query = query.where('s.team_id', 'in', [...q.teams]);
    if (q.teamId) query = query.where('s.team_id', '=', q.teamId);
    // Service names are unique in an organization, so the name alone is the page key.
    if (q.after !== undefined) query = query.where('s.name', '>', q.after);
    query = query.orderBy('s.name');
    return q.limit === undefined ? query.execute() : query.limit(q.limit).execute();
  }

  /** Services (of these teams; of one team) per state, absent state counted as unknown. */
  async serviceCounts(db: Db, orgId: string, q: { teams?: readonly string[] | undefined; teamId?: string | undefined }) {
    let query = db.selectFrom('services as s').leftJoin('service_states as st', 'st.service_id', 's.id').select([sql<string>`coalesce(st.state, 'unknown')`.as('state'), (eb) => eb.fn.countAll<string>().as('n')]).where('s.org_id', '=', orgId);
    if (q.teams) query = query.where('s.team_id', 'in', [...q.teams]);
    if (q.teamId) query = query.where('s.team_id', '=', q.teamId);
    return query.groupBy(sql`coalesce(st.state, 'unknown')`).execute();
  }

  /** Dependency edges (of these teams; of one team) per state, absent state counted as unknown. */
  async edgeCounts(db: Db, orgId: string, q: { teams?: readonly string[] | undefined; teamId?: string | undefined }) {
    let query = db.selectFrom('dependencies as d').leftJoin('edge_states as es', 'es.dependency_id', 'd.id').select([sql<string>`coalesce(es.state, 'unknown')`.as('state'), (eb) => eb.fn.countAll<string>().as('n')]).where('d.org_id', '=', orgId);
    if (q.teams) query = query.where('d.team_id', 'in', [...q.teams]);
    if (q.teamId) query = query.where('d.team_id', '=', q.teamId);
    return query.groupBy(sql`coalesce(es.state, 'unknown')`).execute();
  }

  /** Dependency edges of the organization (of these teams; of one team) with their names and states, by service and target name. */
  async edges(db: Db, orgId: string, q: { teams?: readonly string[] | undefined; teamId?: string | undefined; serviceIds?: readonly string[] | undefined }) {
    let query = db
      .selectFrom('dependencies as d')
      .innerJoin('services as s', 's.id', 'd.service_id')
      .innerJoin('services as t', 't.id', 'd.depends_on_service_id')
      .leftJoin('edge_states as es', 'es.dependency_id', 'd.id')
      .select(['d.id', 'd.service_id', 's.name as service', 'd.depends_on_service_id', 't.name as depends_on', 'd.team_id', 'es.state', 'es.since'])
      .where('d.org_id', '=', orgId);
    if (q.teams) query = query.where('d.team_id', 'in', [...q.teams]);
    if (q.teamId) query = query.where('d.team_id', '=', q.teamId);
    if (q.serviceIds) {
      if (q.serviceIds.length === 0) return [];
      query = query.where('d.service_id', 'in', [...q.serviceIds]);
    }
    return query.orderBy('s.name').orderBy('t.name').orderBy('d.id').execute();
  }

  /** Monitors of these services with their states, by name. */
  async monitorsOfServices(db: Db, serviceIds: readonly string[]) {
    if (serviceIds.length === 0) return [];
    return db.selectFrom('monitors as m').leftJoin('monitor_states as ms', 'ms.monitor_id', 'm.id').select(['m.id', 'm.name', 'm.type', 'm.service_id', 'm.dependency_id', 'm.spec', 'ms.state', 'ms.since']).where('m.service_id', 'in', [...serviceIds]).orderBy('m.name').execute();
  }

  /** Slot states of the monitors of these services, by region (joined, not listed by monitor id: a board holds more monitors than a statement has parameters). */
  async slotsOfServices(db: Db, serviceIds: readonly string[]) {
    if (serviceIds.length === 0) return [];
    return db.selectFrom('slot_states as ss').innerJoin('monitors as m', 'm.id', 'ss.monitor_id').selectAll('ss').where('m.service_id', 'in', [...serviceIds]).orderBy('ss.region').execute();
  }

  /** Transitions of a monitor and its slots, newest first, before the transition id `beforeId`. */
  async transitions(db: Db, orgId: string, monitorId: string, q: { beforeId?: string | undefined; limit: number }) {
    let query = db.selectFrom('state_transitions').selectAll().where('org_id', '=', orgId).where('subject_id', '=', monitorId).where('subject_type', 'in', ['slot', 'monitor']);
    if (q.beforeId) query = query.where('id', '<', q.beforeId);
    return query.orderBy('id', 'desc').limit(q.limit).execute();
  }
}
