import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { State } from '../src/contract/state.schema.ts';
import { worstState } from '../src/modules/state/state.machine.ts';
import { StateRepository } from '../src/modules/state/state.repository.ts';
import { startTestApi, postgresSkip, type Backend, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// A service's state is its worst enabled monitor's, computed in SQL (one row per service, however
// many monitors it has): the same answer as worstState for every mix of monitor states.

type Case = { name: string; monitors: Array<{ state: State | null; enabled?: boolean }> };
const cases: Case[] = [
  { name: 'no monitors', monitors: [] },
  { name: 'one without a state yet', monitors: [{ state: null }] },
  { name: 'unknown only', monitors: [{ state: 'unknown' }, { state: 'unknown' }] },
  { name: 'up beside unknown and no state', monitors: [{ state: 'unknown' }, { state: 'up' }, { state: null }] },
  { name: 'degraded beats up', monitors: [{ state: 'up' }, { state: 'degraded' }, { state: 'up' }] },
  { name: 'down beats degraded', monitors: [{ state: 'degraded' }, { state: 'down' }, { state: 'unknown' }] },
  { name: 'a disabled monitor does not count', monitors: [{ state: 'down', enabled: false }, { state: 'up' }] },
  { name: 'only disabled ones', monitors: [{ state: 'down', enabled: false }] },
];

for (const [backend, skip] of [['postgres', postgresSkip()], ['pglite', false]] as Array<[Backend, string | false]>) {
  describe(`a service's worst monitor state on ${backend}`, { skip }, () => {
    let api: TestApi;
    let team: string;
    before(async () => {
      api = await startTestApi({ backend });
      team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
    });
    after(async () => api?.close());

    test('every mix of states gives what worstState gives, services answered together', async () => {
      const db = api.database.db;
      const services: Array<{ id: string; expected: State }> = [];
      for (const c of cases) {
        const service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id as string;
        for (const m of c.monitors) {
          const created = await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(service), enabled: m.enabled ?? true });
          if (m.state) {
            const { org_id } = await db.selectFrom('monitors').select('org_id').where('id', '=', created.id).executeTakeFirstOrThrow();
            await db.insertInto('monitor_states').values({ monitor_id: created.id, org_id, state: m.state, since: new Date(), updated_at: new Date() })
              .onConflict((oc) => oc.column('monitor_id').doUpdateSet({ state: m.state! })).execute();
          }
        }
        services.push({ id: service, expected: worstState(c.monitors.filter((m) => m.enabled !== false).map((m) => m.state ?? 'unknown')) });
      }
      const worst = await new StateRepository().worstMonitorStates(db, services.map((s) => s.id));
      for (const [i, s] of services.entries()) assert.equal(worst.get(s.id) ?? 'unknown', s.expected, cases[i]!.name);
      assert.deepEqual(services.map((s) => s.expected), ['unknown', 'unknown', 'unknown', 'up', 'degraded', 'down', 'up', 'unknown'], 'the cases cover every outcome');
    });
  });
}
