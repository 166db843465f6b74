import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { waitFor } from '../../scripts/test/support/processes.ts';
import { EventLogRepository } from '../src/modules/events/event-log.repository.ts';
import { startTestApi, postgresSkip, type Backend, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// One rule that cannot be evaluated (here: a corrupt stored setting) must not hold up the others
// evaluated in the same event batch: its status shows the error, the others change state, and the
// consumer's cursor moves on. And a rule that goes away never leaves a page without its resolution.

for (const [backend, skip] of [['postgres', postgresSkip()], ['pglite', false]] as Array<[Backend, string | false]>) {
  describe(`alert evaluation failures on ${backend}`, { skip }, () => {
    let api: TestApi;
    before(async () => {
      // The tick is far away: only the event consumer evaluates here.
      api = await startTestApi({ backend, app: { alertTickMs: 600_000, consumerSettings: { pollMs: 100 } } });
    });
    after(async () => api?.close());

    test('a rule with a corrupt stored setting gets an error status; the other rule of the batch fires and the cursor advances', async () => {
      const team = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') });
      const service = await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team.id));
      const monitor = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, bodies.monitor(service.id));
      const expression = `unknown(monitor("${monitor.name}"))`;
      // The consumers wait until the bad rule is corrupt: creating a rule asks for its evaluation
      // (alert_rule.changed), and both rules must first be evaluated in the batch below.
      await Promise.all(api.app.consumers.map((c) => c.stop()));
      const good = await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { name: unique('good'), team_id: team.id, expression });
      const bad = await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { name: unique('bad'), team_id: team.id, expression });
      // A stored value the contract would refuse (data written by an older release, or by hand).
      await sql`UPDATE alert_rules SET spec = jsonb_set(spec, '{for_duration}', '"soon"') WHERE id = ${bad.id}`.execute(api.database.db);

      // A transition of the monitor, as ingest writes it.
      const log = new EventLogRepository();
      await api.database.db.transaction().execute((trx) =>
        log.append(trx, [{ orgId: api.orgId, kind: 'state.transition', at: new Date(), payload: { subject_type: 'monitor', subject_id: monitor.id, region: null, from: 'up', to: 'unknown', cause: {} } }]),
      );
      api.app.consumers.forEach((c) => c.start());
      const [seq] = await api.database.db.selectFrom('events').select(sql<string>`max(seq)`.as('seq')).where('org_id', '=', api.orgId).execute().then((r) => r.map((x) => Number(x.seq)));

      const firing = await waitFor('the good rule to fire', 10_000, async () => (await api.call('GET', `/v1/alerts?rule_id=${good.id}&state=firing`)).body.items[0]);
      assert.equal(firing.labels.monitor, monitor.name);
      const status = await waitFor('the bad rule\'s error', 10_000, async () => {
        const s = (await api.call('GET', `/v1/alert-rules/${bad.id}/status`)).body;
        return s.error && s;
      });
      assert.match(status.error, /for_duration "soon"/);
      assert.deepEqual(status.instances, [], 'nothing of the failed evaluation was written');
      const cursor = await api.database.db.selectFrom('event_cursors').select('position').where('consumer', '=', 'alert-evaluator').where('org_id', '=', api.orgId).executeTakeFirstOrThrow();
      assert.ok(Number(cursor.position) >= seq!, `cursor ${cursor.position} past event ${seq}`);
    });

    test('deleting a rule with a firing alert writes the alert\'s resolution to the event log', async () => {
      const team = await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') });
      const service = await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team.id));
      const rule = await expectOk(api, 'POST', '/v1/alert-rules', api.adminToken, { name: unique('rule'), team_id: team.id, expression: `unknown(service("${service.name}"))` });
      await api.app.alerts.evaluateRule(api.orgId, rule.id);
      const [alert] = (await api.call('GET', `/v1/alerts?rule_id=${rule.id}&state=firing`)).body.items;
      assert.ok(alert, 'the rule fires');
      assert.equal((await api.call('DELETE', `/v1/alert-rules/${rule.id}`)).status, 204);
      assert.equal((await api.call('GET', `/v1/alerts/${alert.id}`)).status, 404, 'its alerts go with it');
      const events = await api.database.db.selectFrom('events').select('payload').where('kind', '=', 'alert.state_changed').execute();
      const ofAlert = events.map((e) => e.payload as { alert_id: string; to: string; reason: string }).filter((p) => p.alert_id === alert.id);
      assert.deepEqual(ofAlert.map((p) => `${p.to}:${p.reason}`), ['firing:condition_met', 'resolved:rule_deleted']);
    });
  });
}
