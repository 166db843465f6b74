import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { createTestDatabase, postgresSkip, startTestApi, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';

// A replan of a large fleet holds the organization's assignment lock for seconds. Nothing that
// merely notices a replan is due (a poll seeing a lapsed runner, a registration, a deregistration,
// the lease reaper) may wait for that lock while holding a pooled connection: with a small pool,
// those waits used to take every connection and the control plane answered 503 to everyone. Here
// the lock is held from outside (a replan that takes as long as we like), the pool has 4
// connections with a 1 s wait for one, and a lapsed runner makes every poll ask for a replan.

describe('while the assignment lock is held, with a pool of 4 connections', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let url: string;
  let region: string;
  let token: string;
  let orgId: string;
  const live: SimulatedRunner[] = [];
  before(async () => {
    url = await createTestDatabase();
    const database = await openDatabase({ url, dataDir: '', poolSize: 4, connectTimeoutMs: 1_000 });
    api = await startTestApi({ database, app: { sweepEveryMs: 300 } });
    region = unique('r');
    const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
    const service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('svc'), team_id: team })).id;
    for (let i = 0; i < 12; i++) {
      await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { name: unique('m'), service_id: service, type: 'http', interval_seconds: 30, regions: [region], http: { url: 'http://127.0.0.1:9/health' } });
    }
    token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
    for (let i = 0; i < 6; i++) live.push(await registerRunner(api, token));
    for (const r of live) await pollRunner(api, r);
    orgId = (await api.database.db.selectFrom('monitors').select('org_id').executeTakeFirstOrThrow()).org_id;
  });
  after(async () => api?.close());

  test('polls, reads, a registration and a deregistration answer; the replan runs once the lock is free', async () => {
    // One runner's lease lapses while it owns slots: every poll of the others now asks for a replan.
    const lapsed = live[0]!;
    await api.database.db.updateTable('runners').set({ lease_expires_at: new Date(Date.now() - 1_000) }).where('id', '=', lapsed.id).execute();
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(hashtext($1))', [`pharos-assign:${orgId}`]);
      const heldUntil = Date.now() + 6_000;
      const answers: number[] = [];
      // A registration waits for the replan (it answers once placed), at most a third of the lease,
      // and holds no connection meanwhile.
      let registered: number | undefined;
      const registering = api.call('POST', '/v1/runner/register', { token, body: { protocol_version: 1, version: 'test', capabilities: ['http'] } }).then((res) => {
        registered = Date.now();
        return res;
      });
      const leaving = api.call('POST', '/v1/runner/deregister', { token, body: { runner_id: live[1]!.id } });
      for (let round = 0; Date.now() < heldUntil && round < 40; round++) {
        const calls = [
          // The lapsed runner itself: its poll renews its lease and answers without waiting for the replan.
          api.call('GET', `/v1/runner/assignments?runner_id=${lapsed.id}&revision=${lapsed.revision}&wait=0`, { token: lapsed.token }),
          ...live.slice(2).map((r) => api.call('GET', `/v1/runner/assignments?runner_id=${r.id}&revision=${r.revision}&wait=0`, { token: r.token })),
          ...live.slice(2).map((r) => api.call('GET', `/v1/runner/assignments?runner_id=${r.id}&revision=0&wait=0`, { token: r.token })),
          api.call('GET', '/v1/monitors?limit=5', { token: api.adminToken }),
          api.call('GET', '/v1/status', { token: api.adminToken }),
        ];
        for (const res of await Promise.all(calls)) answers.push(res.status);
        await new Promise((r) => setTimeout(r, 100));
      }
      const refused = answers.filter((s) => s !== 200);
      assert.ok(answers.length >= 40, `${answers.length} calls made while the lock was held`);
      assert.deepEqual(refused, [], `every call answered 200 while the lock was held (${refused.length} of ${answers.length} did not)`);
      assert.ok(registered !== undefined && registered < heldUntil, 'the registration answered while the replan was still waiting for the lock');
      await holder.query('SELECT pg_advisory_unlock(hashtext($1))', [`pharos-assign:${orgId}`]);
      assert.equal((await registering).status, 201, 'the registration answers');
      assert.ok([200, 204].includes((await leaving).status), 'the deregistration answers');
    } finally {
      await holder.end();
    }
    // The replan ran: every slot is owned by a live runner, none by the departed one (the lapsed
    // runner polled again, so it is live and may own slots again).
    const deadline = Date.now() + 10_000;
    let owners: Array<{ runner_id: string; live: boolean }> = [];
    const read = async () => (await api.database.db.selectFrom('slot_assignments as s').innerJoin('runners as r', 'r.id', 's.runner_id')
      .select(['s.runner_id', sql<boolean>`r.lease_expires_at > now() AND r.stopped_at IS NULL`.as('live')]).where('s.region', '=', region).execute());
    while (Date.now() < deadline) {
      owners = await read();
      if (owners.length === 12 && owners.every((o) => o.live && o.runner_id !== live[1]!.id)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(owners.length, 12);
    assert.ok(owners.every((o) => o.live), 'every slot is owned by a live runner');
    assert.ok(!owners.some((o) => o.runner_id === live[1]!.id), 'the departed runner owns nothing');
  });
});
