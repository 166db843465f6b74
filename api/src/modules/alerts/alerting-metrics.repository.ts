import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** SQL behind the alerting series of /metrics: firing alerts, monitor and service states. */
export class AlertingMetricsRepository {
  /** Firing alerts per severity and team name. */
  async firingCounts(db: Db): Promise<Array<{ severity: string; team: string; count: number }>> {
    const rows = await db
      .selectFrom('alert_instances as a')
      .innerJoin('teams as t', 't.id', 'a.team_id')
      .select(['a.severity', 't.name as team', sql<string>`count(*)`.as('count')])
      .where('a.state', '=', 'firing')
      .groupBy(['a.severity', 't.name'])
      .execute();
    return rows.map((r) => ({ severity: r.severity, team: r.team, count: Number(r.count) }));
  }

  /** The current state of every monitor, with its service's and team's names (at most `limit`). */
  async monitorStates(db: Db, limit: number): Promise<Array<{ monitor: string; service: string; team: string; state: string }>> {
    return db
      .selectFrom('monitor_states as s')
      .innerJoin('monitors as m', 'm.id', 's.monitor_id')
      .innerJoin('services as v', 'v.id', 'm.service_id')
      .innerJoin('teams as t', 't.id', 'm.team_id')
      .select(['m.name as monitor', 'v.name as service', 't.name as team', 's.state'])
      .orderBy('m.id')
      .limit(limit)
      .execute();
  }

  /** The current state of every service, with its team's name (at most `limit`). */
  async serviceStates(db: Db, limit: number): Promise<Array<{ service: string; team: string; state: string }>> {
    return db
      .selectFrom('service_states as s')
      .innerJoin('services as v', 'v.id', 's.service_id')
      .innerJoin('teams as t', 't.id', 'v.team_id')
      .select(['v.name as service', 't.name as team', 's.state'])
      .orderBy('v.id')
      .limit(limit)
      .execute();
  }
}
