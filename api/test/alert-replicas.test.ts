import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../../scripts/test/support/processes.ts';
import { openDatabase } from '../src/db/database.ts';
import { createTestDatabase, postgresSkip, startTestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';

// Two control plane processes on one PostgreSQL, both running the alert evaluator (the event
// consumer and a fast tick): every change of an alert is recorded exactly once, counted in the
// alert history and in the event log.

test('PostgreSQL: two instances evaluate each state change once (alert history and events counted)', { skip: postgresSkip(), timeout: 120_000 }, async () => {
  const url = await createTestDatabase();
  const app = { alertTickMs: 100, consumerSettings: { pollMs: 20 } };
  const first = await startTestApi({ database: await openDatabase({ url, dataDir: '' }), app });
  const second = await startTestApi({ database: await openDatabase({ url, dataDir: '' }), app });
  try {
    const team = (await expectOk(first, 'POST', '/v1/teams', first.adminToken, { name: unique('t') })).id;
    const service = (await expectOk(first, 'POST', '/v1/services', first.adminToken, { name: unique('svc'), team_id: team })).id;
    const monitor = await expectOk(first, 'POST', '/v1/monitors', first.adminToken, { name: unique('job'), service_id: service, type: 'heartbeat', heartbeat: { period_seconds: 3600 } });
    const rule = (await expectOk(first, 'POST', '/v1/alert-rules', first.adminToken, { name: unique('rule'), team_id: team, expression: `down(monitor("${monitor.name}"))`, for_duration: '0s' })).id;
    const token = String(monitor.heartbeat_url).split('/').pop()!;
    const flips = 10;
    for (let i = 0; i < flips; i++) {
      const api = i % 2 === 0 ? first : second;
      const status = i % 2 === 0 ? 'down' : 'up';
      assert.equal((await api.call('POST', `/v1/heartbeats/${token}?status=${status}`, { token: null })).status, 200);
      const want = status === 'down' ? 'firing' : 'resolved';
      await waitFor(`the alert to be ${want} after ping ${i}`, 10_000, async () => (await first.call('GET', `/v1/alerts?rule_id=${rule}`)).body.items[0]?.state === want, 20);
    }
    // Let both ticks run a few more times: re-evaluating an unchanged condition records nothing.
    await new Promise((r) => setTimeout(r, 500));
    const db = first.database.db;
    const history = await db.selectFrom('alert_history').select(['to_state']).where('rule_id', '=', rule).orderBy('at').orderBy('id').execute();
    assert.deepEqual(history.map((h) => h.to_state), Array.from({ length: flips }, (_, i) => (i % 2 === 0 ? 'firing' : 'resolved')));
    const events = await db.selectFrom('events').select('payload').where('kind', '=', 'alert.state_changed').execute();
    assert.equal(events.filter((e) => (e.payload as { rule_id: string }).rule_id === rule).length, flips, 'one event per change');
  } finally {
    await second.close();
    await first.close();
  }
});
