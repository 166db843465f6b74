import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { newId } from '../src/shared/ids.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';

// GET /v1/dependency-graph on a fleet far larger than the reference customer's: 1,000 services in
// 20 teams, 2,000 edges (half of them checked by a monitor with a state), 50 open incidents. Rows
// are written straight into the tables so the test measures the read. Reports the median of a few
// calls for an org admin (whole graph) and a team member (one team plus neighbours).

const TEAMS = 20;
const SERVICES = 1_000;
const CALLS = 5;
const BUDGET_MS = 2_000;

describe('dependency graph at scale on postgres', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let member: string;
  before(async () => {
    api = await startTestApi({ app: { sweepEveryMs: 3_600_000 } });
    const db = api.database.db;
    const teams: string[] = [];
    for (let i = 0; i < TEAMS; i++) teams.push((await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique(`team${i}`) })).id);
    member = (await expectOk(api, 'POST', '/v1/tokens', api.adminToken, { name: unique('viewer'), role: 'viewer', team_id: teams[0] })).token;
    const org = api.orgId;
    const run = unique('g');
    await sql`INSERT INTO services (id, org_id, team_id, name, type, service_id, spec, secrets, created_at, updated_at)
              SELECT 'svc_' || ${run} || '_' || i, ${org}, (${teams}::text[])[1 + i % ${TEAMS}], ${run} || '-svc-' || i, CASE WHEN i % 25 = 0 THEN 'external' ELSE 'internal' END, NULL,
                     jsonb_build_object('name', ${run} || '-svc-' || i, 'team_id', (${teams}::text[])[1 + i % ${TEAMS}]), NULL, now(), now()
              FROM generate_series(0, ${SERVICES - 1}) AS i`.execute(db);
    // Each service depends on the next one and on the one 7 further on (ring-shaped: cycles included).
    await sql`INSERT INTO dependencies (id, org_id, team_id, service_id, depends_on_service_id, description, created_at, updated_at)
              SELECT 'dep_' || ${run} || '_' || i || '_' || k, ${org}, (${teams}::text[])[1 + i % ${TEAMS}], 'svc_' || ${run} || '_' || i, 'svc_' || ${run} || '_' || ((i + k) % ${SERVICES}), NULL, now(), now()
              FROM generate_series(0, ${SERVICES - 1}) AS i CROSS JOIN (VALUES (1), (7)) AS s(k)`.execute(db);
    await sql`INSERT INTO monitors (id, org_id, team_id, name, type, service_id, dependency_id, spec, secrets, created_at, updated_at)
              SELECT 'mon_' || ${run} || '_' || i, ${org}, d.team_id, 'reach-' || i, 'http', d.service_id, d.id, '{"type":"http","http":{"url":"http://127.0.0.1:9/"}}'::jsonb, NULL, now(), now()
              FROM dependencies d JOIN LATERAL (SELECT split_part(d.id, '_', 3)::int AS i) x ON true
              WHERE d.org_id = ${org} AND d.id LIKE ${`dep_${run}_%_1`}`.execute(db);
    await sql`INSERT INTO edge_states (dependency_id, org_id, state, since) SELECT dependency_id, org_id, CASE WHEN random() < 0.05 THEN 'down' ELSE 'up' END, now() FROM monitors WHERE dependency_id IS NOT NULL AND org_id = ${org}`.execute(db);
    await sql`INSERT INTO service_states (service_id, org_id, state, since, updated_at) SELECT id, org_id, 'up', now(), now() FROM services WHERE org_id = ${org}`.execute(db);
    for (let n = 1; n <= 50; n++) {
      const ids = [`svc_${run}_${n * 7}`, `svc_${run}_${n * 7 + 1}`];
      await sql`INSERT INTO incidents (id, org_id, number, title, state, severity, team_id, root_cause, service_ids, team_ids, opened_at, first_failure_at, last_alert_at, updated_at)
                VALUES (${newId('incident')}, ${org}, ${n}, 'scale', 'investigating', 'critical', ${teams[0]}, ${JSON.stringify({ kind: 'edge', id: `dep_${run}_${n * 7}_1` })}::jsonb, ${ids}::text[], ${[teams[0]!]}::text[], now(), now(), now(), now())`.execute(db);
    }
    await sql`ANALYZE`.execute(db);
  });
  after(async () => api?.close());

  const median = async (token: string | undefined) => {
    const times: number[] = [];
    let body: any;
    for (let i = 0; i < CALLS; i++) {
      const t0 = performance.now();
      const res = await api.call('GET', '/v1/dependency-graph', token ? { token } : {});
      times.push(performance.now() - t0);
      assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
      body = res.body;
    }
    times.sort((a, b) => a - b);
    return { ms: times[Math.floor(CALLS / 2)]!, body };
  };

  test(`the whole graph of ${SERVICES} services and ${SERVICES * 2} edges, and one team's part of it, within ${BUDGET_MS} ms`, async (t) => {
    const admin = await median(undefined);
    assert.equal(admin.body.nodes.length, SERVICES);
    assert.equal(admin.body.edges.length, SERVICES * 2);
    assert.equal(admin.body.edges.filter((e: { monitored: boolean }) => e.monitored).length, SERVICES);
    assert.equal(admin.body.nodes.filter((n: { open_incident?: unknown }) => n.open_incident).length, 100);
    assert.equal(admin.body.edges.filter((e: { open_incident?: unknown }) => e.open_incident).length, 50);
    const team = await median(member);
    const own = team.body.nodes.filter((n: { in_scope: boolean }) => n.in_scope).length;
    assert.equal(own, SERVICES / TEAMS);
    // Each of the team's 50 services has 2 outgoing and 2 incoming edges, none of them between two of its own services.
    assert.equal(team.body.edges.length, (SERVICES / TEAMS) * 4);
    t.diagnostic(`GET /v1/dependency-graph median of ${CALLS}: org admin ${admin.ms.toFixed(0)} ms (${admin.body.nodes.length} nodes, ${admin.body.edges.length} edges), team member ${team.ms.toFixed(0)} ms (${team.body.nodes.length} nodes, ${team.body.edges.length} edges)`);
    assert.ok(admin.ms < BUDGET_MS, `whole graph in ${admin.ms.toFixed(0)} ms`);
    assert.ok(team.ms < BUDGET_MS, `team graph in ${team.ms.toFixed(0)} ms`);
  });
});
