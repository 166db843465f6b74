import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { createTestDatabase, postgresSkip, startTestApi, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner } from './support/simulated-runner.ts';

// A pool of runners starting together (a Deployment scaled to 20): every registration answers 201,
// they join coalesced replans instead of each holding a pooled connection on the organization's
// lock, and once each runner has polled every slot has exactly one owner among them.

const monitors = 5_000;
const runners = 20;

describe('20 runners registering at once on PostgreSQL', { skip: postgresSkip() }, () => {
  let api: TestApi;
  const region = unique('r');
  before(async () => {
    // The default pool (10 connections) with a 1 s wait for a connection: 20 registrations that each
    // held a connection on the organization's lock through a replan of 5,000 slots outwaited it.
    const database = await openDatabase({ url: await createTestDatabase(), dataDir: '', poolSize: 10, connectTimeoutMs: 1_000 });
    api = await startTestApi({ database, app: { sweepEveryMs: 600_000 } });
    const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
    const service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('svc'), team_id: team })).id;
    const template = (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { name: unique('m'), service_id: service, type: 'http', interval_seconds: 30, regions: [region], http: { url: 'http://127.0.0.1:9/health' } })).id;
    await sql`INSERT INTO monitors (id, org_id, team_id, name, type, service_id, spec, secrets, created_at, updated_at, version)
              SELECT t.id || '_' || g, t.org_id, t.team_id, t.name || '-' || g, t.type, t.service_id, t.spec || jsonb_build_object('name', t.name || '-' || g), t.secrets, now(), now(), 1
              FROM monitors t CROSS JOIN generate_series(1, ${monitors - 1}) g WHERE t.id = ${template}`.execute(api.database.db);
  });
  after(async () => api?.close());

  test('all answer 201 and, after polling, every slot is owned exactly once', async () => {
    const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
    const started = await Promise.all(Array.from({ length: runners }, () => registerRunner(api, token)));
    // A registration answers once placed or after a third of the lease, whichever comes first: on a
    // busy machine the replan may still be running, so the runners poll (renewing their leases) until
    // it is done.
    const deadline = Date.now() + 60_000;
    let rows: Array<{ monitor_id: string; runner_id: string }> = [];
    do {
      for (const r of started) await pollRunner(api, r);
      rows = (await sql<{ monitor_id: string; runner_id: string }>`SELECT monitor_id, runner_id FROM slot_assignments WHERE region = ${region}`.execute(api.database.db)).rows;
    } while (new Set(rows.map((r) => r.runner_id)).size < runners && Date.now() < deadline);
    assert.equal(rows.length, monitors);
    assert.equal(new Set(rows.map((r) => r.monitor_id)).size, monitors, 'no slot has two owners');
    const ids = new Set(started.map((r) => r.id));
    assert.ok(rows.every((r) => ids.has(r.runner_id)), 'every owner is one of the 20 runners');
    const load = new Map<string, number>();
    for (const r of rows) load.set(r.runner_id, (load.get(r.runner_id) ?? 0) + 1);
    assert.equal(load.size, runners, 'every runner got slots');
  });
});
