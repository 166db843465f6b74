import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import type { EventConsumer } from '../src/modules/events/event.consumer.ts';
import { createTestDatabase, postgresSkip, startTestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';

// Through the whole control plane: every state transition written by a request is also an event,
// in the same transaction, and two control plane instances on one database that run the same
// consumer apply each event exactly once between them.

const counter = (instance: string): EventConsumer => ({
  name: 'transition-counter',
  async handle(trx, orgId, events) {
    const rows = events.map((e) => ({ seq: e.seq, org_id: orgId, instance, subject: e.kind === 'state.transition' ? `${e.payload.subject_type}:${e.payload.subject_id}:${e.payload.to}` : '' }));
    await sql`INSERT INTO test_counted SELECT * FROM jsonb_populate_recordset(null::test_counted, ${JSON.stringify(rows)}::jsonb)`.execute(trx);
  },
});

test('PostgreSQL: heartbeat transitions become events, and two instances count each one once', { skip: postgresSkip(), timeout: 120_000 }, async () => {
  const url = await createTestDatabase();
  const first = await startTestApi({ database: await openDatabase({ url, dataDir: '' }), app: { consumers: [counter('one')], consumerSettings: { pollMs: 20 } } });
  const second = await startTestApi({ database: await openDatabase({ url, dataDir: '' }), app: { consumers: [counter('two')], consumerSettings: { pollMs: 20 } } });
  const db = first.database.db;
  try {
    await sql`CREATE TABLE test_counted (seq bigint, org_id text, instance text, subject text)`.execute(db);
    const team = (await expectOk(first, 'POST', '/v1/teams', first.adminToken, { name: unique('t') })).id;
    const service = (await expectOk(first, 'POST', '/v1/services', first.adminToken, { name: unique('svc'), team_id: team })).id;
    const monitor = await expectOk(first, 'POST', '/v1/monitors', first.adminToken, { name: unique('job'), service_id: service, type: 'heartbeat', heartbeat: { period_seconds: 3600 } });
    const token = String(monitor.heartbeat_url).split('/').pop()!;
    // Pings alternate between down and up, half through each instance: each one is a transition.
    for (let i = 0; i < 20; i++) {
      const api = i % 2 === 0 ? first : second;
      const res = await api.call('POST', `/v1/heartbeats/${token}?status=${i % 2 === 0 ? 'down' : 'up'}`, { token: null });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    const transitions = await db.selectFrom('state_transitions').select(['subject_type', 'subject_id', 'to_state']).orderBy('at').execute();
    assert.ok(transitions.length >= 20, `${transitions.length} transitions`);
    const events = await db.selectFrom('events').select(['seq', 'payload']).orderBy('seq').execute();
    assert.equal(events.length, transitions.length, 'one event per transition');
    const key = (t: { subject_type: string; subject_id: string; to_state: string }) => `${t.subject_type}:${t.subject_id}:${t.to_state}`;
    const eventKeys = events.map((e) => {
      const p = e.payload as { subject_type: string; subject_id: string; to: string };
      return `${p.subject_type}:${p.subject_id}:${p.to}`;
    });
    assert.deepEqual([...eventKeys].sort(), transitions.map(key).sort());

    const deadline = Date.now() + 15_000;
    let counted: Array<{ seq: string; instance: string; subject: string }> = [];
    while (Date.now() < deadline) {
      counted = (await sql<{ seq: string; instance: string; subject: string }>`SELECT seq, instance, subject FROM test_counted ORDER BY seq`.execute(db)).rows;
      if (counted.length >= events.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    counted = (await sql<{ seq: string; instance: string; subject: string }>`SELECT seq, instance, subject FROM test_counted ORDER BY seq`.execute(db)).rows;
    assert.equal(counted.length, events.length, 'each event counted once, by one of the two instances');
    assert.deepEqual(counted.map((c) => Number(c.seq)), events.map((e) => Number(e.seq)));
    assert.deepEqual(counted.map((c) => c.subject), eventKeys);
  } finally {
    await second.close();
    await first.close();
    await second.database.close();
    await first.database.close();
  }
});

test('PostgreSQL: a transition and its event commit together: when the event cannot be written, neither the result nor the transition is stored', { skip: postgresSkip() }, async () => {
  const api = await startTestApi();
  try {
    const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
    const service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('svc'), team_id: team })).id;
    const monitor = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { name: unique('job'), service_id: service, type: 'heartbeat', heartbeat: { period_seconds: 3600 } });
    const token = String(monitor.heartbeat_url).split('/').pop()!;
    // The event append, the ping transaction's last write, fails: the ping's result, state and
    // transitions written before it are undone with it.
    await sql`ALTER TABLE events ADD CONSTRAINT test_refuse CHECK (kind <> 'state.transition') NOT VALID`.execute(api.database.db);
    const res = await api.call('POST', `/v1/heartbeats/${token}?status=down`, { token: null });
    assert.equal(res.status, 500);
    const events = await api.database.db.selectFrom('events').select('seq').execute();
    const transitions = await api.database.db.selectFrom('state_transitions').select('id').execute();
    const results = await api.database.db.selectFrom('check_results').select('id').where('monitor_id', '=', monitor.id).execute();
    assert.deepEqual([events.length, transitions.length, results.length], [0, 0, 0]);
    await sql`ALTER TABLE events DROP CONSTRAINT test_refuse`.execute(api.database.db);
    assert.equal((await api.call('POST', `/v1/heartbeats/${token}?status=down`, { token: null })).status, 200);
    const after = await api.database.db.selectFrom('state_transitions').select('id').execute();
    assert.ok(after.length > 0);
    assert.equal((await api.database.db.selectFrom('events').select('seq').execute()).length, after.length);
  } finally {
    await api.close();
  }
});
