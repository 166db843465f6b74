import { sql } from 'kysely';
import type { TestApi } from './harness.ts';
import { bodies, expectOk, unique } from './world.ts';

/**
 * A fleet for the no-data sweep tests, written straight into the tables as the ingest would leave
 * it: one monitor made through the API and `monitors - 1` copies of it with ids
 * `<idPrefix><n, zero-padded to 6>`, each with a slot state per region that reported a second ago
 * (up for an hour). The copies' interval is the template's, 30 s.
 */
export async function seedSlotFleet(api: TestApi, o: { monitors: number; regions: string[]; idPrefix: string }): Promise<void> {
  const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
  const service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id;
  const template = (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(service), regions: o.regions })).id;
  await api.app.settle();
  const db = api.database.db;
  await sql`INSERT INTO monitors (id, org_id, team_id, name, type, service_id, spec, secrets, created_at, updated_at)
            SELECT ${o.idPrefix} || lpad(i::text, 6, '0'), org_id, team_id, name || '-' || i, type, service_id, spec, secrets, created_at, updated_at
            FROM monitors, generate_series(1, ${o.monitors - 1}) AS i WHERE id = ${template}`.execute(db);
  await sql`INSERT INTO slot_states (org_id, monitor_id, region, state, since, successes, last_result_id, last_result_at)
            SELECT m.org_id, m.id, r.region, 'up', now() - interval '1 hour', 1, 'res_x', now() - interval '1 second'
            FROM monitors m CROSS JOIN unnest(${o.regions}::text[]) AS r(region) WHERE m.org_id = ${api.orgId}
            ON CONFLICT (monitor_id, region) DO UPDATE SET state = 'up', since = excluded.since, last_result_at = excluded.last_result_at, cause = NULL`.execute(db);
}
