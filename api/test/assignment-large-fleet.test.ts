import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { postgresSkip, startTestApi, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner } from './support/simulated-runner.ts';

// Placement of a fleet whose writes outgrow one statement's bind parameters (PostgreSQL carries at
// most 65,535 per statement): 10,000 monitors in 2 regions whose runners die and are replaced, so
// every one of the 20,000 slots is taken over (and asked for a check at once) in one plan. The
// monitors are copied in SQL from one created through the API.

const monitors = 10_000;

describe('placement of 10,000 monitors × 2 regions on PostgreSQL', { skip: postgresSkip() }, () => {
  let api: TestApi;
  const regions = [unique('ra'), unique('rb')];
  before(async () => {
    api = await startTestApi({ backend: 'postgres', app: { sweepEveryMs: 600_000 } });
    const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
    const service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('svc'), team_id: team })).id;
    const template = (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { name: unique('m'), service_id: service, type: 'http', interval_seconds: 30, regions, http: { url: 'http://127.0.0.1:9/health' } })).id;
    await sql`INSERT INTO monitors (id, org_id, team_id, name, type, service_id, spec, secrets, created_at, updated_at, version)
              SELECT t.id || '_' || g, t.org_id, t.team_id, t.name || '-' || g, t.type, t.service_id, t.spec || jsonb_build_object('name', t.name || '-' || g), t.secrets, now(), now(), 1
              FROM monitors t CROSS JOIN generate_series(1, ${monitors - 1}) g WHERE t.id = ${template}`.execute(api.database.db);
  });
  after(async () => api?.close());

  // A registration answers once placed or after a third of the lease: on a busy machine a plan of
  // 20,000 slots may outlast that, so the runners poll (renewing their leases) until it is done.
  const placed = async (runners: Array<Awaited<ReturnType<typeof registerRunner>>>, done: () => Promise<boolean>) => {
    const deadline = Date.now() + 90_000;
    do for (const r of runners) await pollRunner(api, r);
    while (!(await done()) && Date.now() < deadline);
  };
  const owners = async () => (await sql<{ runner_id: string; n: string }>`SELECT runner_id, count(*) AS n FROM slot_assignments GROUP BY runner_id`.execute(api.database.db)).rows;

  test('every slot has an owner, also after every runner died and was replaced', async () => {
    const tokens: string[] = [];
    for (const region of regions) tokens.push((await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string);
    const first = [];
    for (const token of tokens) first.push(await registerRunner(api, token));
    await placed(first, async () => (await owners()).map((o) => Number(o.n)).join() === `${monitors},${monitors}`);
    assert.deepEqual((await owners()).map((o) => Number(o.n)), [monitors, monitors]);

    // Both runners' leases lapse; their replacements take over every slot in one plan each.
    await sql`UPDATE runners SET lease_expires_at = now() - interval '1 second' WHERE id IN (${sql.join(first.map((r) => r.id))})`.execute(api.database.db);
    const second = [];
    for (const token of tokens) second.push(await registerRunner(api, token));
    const ids = new Set(second.map((r) => r.id));
    await placed(second, async () => (await owners()).every((o) => ids.has(o.runner_id) && Number(o.n) === monitors));
    for (const r of second) assert.ok(r.revision > 0);
    const byRunner = new Map((await owners()).map((o) => [o.runner_id, Number(o.n)]));
    assert.deepEqual([...byRunner.keys()].sort(), second.map((r) => r.id).sort(), 'the replacements own every slot');
    assert.deepEqual(second.map((r) => byRunner.get(r.id)), [monitors, monitors]);
    const unowned = await sql<{ n: string }>`SELECT count(*) AS n FROM monitors m CROSS JOIN unnest(${sql.val(regions)}::text[]) AS r(region)
                                              WHERE NOT EXISTS (SELECT 1 FROM slot_assignments s WHERE s.monitor_id = m.id AND s.region = r.region)`.execute(api.database.db);
    assert.equal(Number(unowned.rows[0]!.n), 0);
    // The first replacement's plan takes its region's 10,000 slots from a dead owner (never checked,
    // so overdue) and asks for a check of each (8 columns × 10,000 rows); the other region's slots
    // were left without an owner by that plan, so the second replacement takes unowned slots.
    const asked = await sql<{ runner_id: string; n: string }>`SELECT runner_id, count(*) AS n FROM confirmation_requests GROUP BY runner_id`.execute(api.database.db);
    assert.deepEqual(asked.rows.map((r) => [r.runner_id, Number(r.n)]), [[second[0]!.id, monitors]]);
  });
});
