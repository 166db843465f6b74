import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '../src/shared/ids.ts';
import { startTestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// The incidents API on the embedded database (PGlite, the default of a single-process install):
// the array filters, the keyset cursor and the writes behave as on PostgreSQL.

test('incidents on the embedded database: filters, cursor, detail, acknowledge, note, SLA figures', async () => {
  const api = await startTestApi({ backend: 'pglite' });
  try {
    const admin = api.adminToken;
    const team = (await expectOk(api, 'POST', '/v1/teams', admin, { name: unique('pg-team') })).id as string;
    const other = (await expectOk(api, 'POST', '/v1/teams', admin, { name: unique('pg-other') })).id as string;
    const service = (await expectOk(api, 'POST', '/v1/services', admin, bodies.service(team))).id as string;
    const viewer = (await expectOk(api, 'POST', '/v1/tokens', admin, { name: unique('v'), role: 'viewer', team_id: other })).token as string;
    const now = Date.now();
    const ids: string[] = [];
    for (const [n, state, teams] of [[1, 'resolved', [team]], [2, 'investigating', [team]], [3, 'identified', [team, other]]] as const) {
      const id = newId('incident');
      ids.push(id);
      const opened = new Date(now - (4 - n) * 3_600_000);
      await api.database.db.insertInto('incidents').values({
        id, org_id: api.orgId, number: n, title: `incident ${n}`, state, severity: 'error', team_id: team, candidates: '[]', impacted: '[]', evidence: '[]',
        service_ids: [service], team_ids: [...teams], opened_at: opened, first_failure_at: opened, last_alert_at: opened, auto_resolve: false, updated_at: opened,
        resolved_at: state === 'resolved' ? new Date(opened.getTime() + 600_000) : null, acknowledged_at: state === 'resolved' ? new Date(opened.getTime() + 60_000) : null,
      }).execute();
    }
    await api.database.db.insertInto('change_events').values({ id: `chg_${newId('alert').slice(4)}`, org_id: api.orgId, team_id: team, service_id: service, kind: 'deploy', version: 'v9', actor: null, link: null, description: null, at: new Date(now - 2 * 3_600_000 - 5 * 60_000), created_by: '{}' }).execute();

    const page = async (query: string, token = admin) => {
      const res = await api.call('GET', `/v1/incidents${query}`, { token });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    assert.deepEqual((await page('?state=open')).items.map((i: any) => i.number), [3, 2]);
    assert.deepEqual((await page(`?service_id=${service}&team_id=${other}`)).items.map((i: any) => i.number), [3]);
    assert.deepEqual((await page('', viewer)).items.map((i: any) => i.number), [3], 'another team sees only the incident that involves it');
    const first = await page('?limit=2');
    assert.deepEqual(first.items.map((i: any) => i.number), [3, 2]);
    assert.deepEqual((await page(`?limit=2&cursor=${first.next_cursor}`)).items.map((i: any) => i.number), [1]);

    const detail = (await api.call('GET', '/v1/incidents/2')).body;
    assert.deepEqual(detail.changes.map((c: any) => [c.version, c.minutes_before_first_failure]), [['v9', 5]]);
    const ack = await api.call('POST', `/v1/incidents/${ids[1]}/acknowledge`);
    assert.equal(ack.status, 200, JSON.stringify(ack.body));
    assert.equal(ack.body.version, 2);
    assert.equal((await api.call('POST', `/v1/incidents/${ids[1]}/notes`, { body: { text: 'on it' } })).status, 201);
    assert.equal((await api.call('POST', `/v1/incidents/${ids[1]}/acknowledge`, { token: viewer })).status, 404);

    const sla = (await api.call('GET', `/v1/sla/services/${service}?window=24h`)).body;
    assert.equal(sla.incidents.count, 3);
    assert.equal(sla.incidents.resolved, 1);
    assert.equal(sla.incidents.mttr_seconds, 600);
    assert.equal(sla.incidents.mtta_seconds, Math.round(((60 + ack.body.mtta_seconds) / 2) * 1000) / 1000, "the mean, to the millisecond");
  } finally {
    await api.close();
  }
});
