import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { Db } from '../src/db/database.ts';
import { EventLogRepository } from '../src/modules/events/event-log.repository.ts';
import { AssignmentService } from '../src/modules/runner/assignment.service.ts';
import { RunnerRepository } from '../src/modules/runner/runner.repository.ts';
import { WakeupBus } from '../src/modules/runner/wakeup.bus.ts';
import { StateRepository } from '../src/modules/state/state.repository.ts';
import { StateService } from '../src/modules/state/state.service.ts';
import { createLogger } from '../src/observability/logger.ts';
import { postgresSkip, startTestApi, testSecretBox, type TestApi } from './support/harness.ts';
import { expectOk, unique } from './support/world.ts';
import { pollRunner, registerRunner, type SimulatedRunner } from './support/simulated-runner.ts';

// A plan of a large fleet reads the live runners at its start and writes tens of seconds later. At
// 100,000 monitors on two cores, runners whose renewals had waited on the busy primary were lapsed
// when a plan started and live again long before it wrote: the plan took all their slots, and the
// replan their renewals asked for moved them back. Here the plan's read of the live runners is
// stale by construction (it leaves out one runner whose lease is current in the database).

/** A runner repository whose next `live` read leaves out `stale`, as a read made before their renewal would; later reads are current. */
class StaleLiveRead extends RunnerRepository {
  stale = new Set<string>();
  override async live(db: Db, orgId: string) {
    const rows = (await super.live(db, orgId)).filter((r) => !this.stale.has(r.id));
    this.stale = new Set();
    return rows;
  }
}

describe('a plan whose read of the live runners went stale', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let planner: AssignmentService;
  let runners: StaleLiveRead;
  const lines: string[] = [];
  const fleet: SimulatedRunner[] = [];
  before(async () => {
    api = await startTestApi();
    const region = unique('r');
    const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
    const service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, { name: unique('svc'), team_id: team })).id;
    for (let i = 0; i < 12; i++) {
      await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { name: unique('m'), service_id: service, type: 'http', interval_seconds: 30, regions: [region], http: { url: 'http://127.0.0.1:9/health' } });
    }
    const token = (await expectOk(api, 'POST', '/v1/runner-tokens', api.adminToken, { name: unique('rt'), region })).token as string;
    for (let i = 0; i < 3; i++) fleet.push(await registerRunner(api, token));
    await api.app.settle();
    for (const r of fleet) await pollRunner(api, r);
    runners = new StaleLiveRead(testSecretBox());
    const log = createLogger('info', new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) }));
    planner = new AssignmentService(api.database.db, runners, new StateService(new StateRepository(new EventLogRepository())), new WakeupBus(), log);
  });
  after(async () => api?.close());

  const owned = async () => {
    const rows = await api.database.db.selectFrom('slot_assignments').select('runner_id').where('org_id', '=', api.orgId).execute();
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.runner_id, (counts.get(r.runner_id) ?? 0) + 1);
    return counts;
  };

  test('a runner that renewed after the plan read the live runners keeps its slots, and nothing is logged as gone', async () => {
    const before = await owned();
    assert.equal(before.size, 3, `the three runners share the 12 slots (${JSON.stringify([...before])})`);
    const renewed = fleet[0]!;
    runners.stale = new Set([renewed.id]);
    await planner.rebalance(api.orgId);
    assert.deepEqual(await owned(), before, 'no slot moved off the runner whose lease is current');
    assert.ok(lines.some((l) => l.includes('they keep their slots') && l.includes(renewed.id)), 'the plan says which runner renewed while it ran');
    assert.ok(!lines.some((l) => l.includes('runner gone')), 'no runner is logged as gone');
  });

  test('a runner whose lease really lapsed loses its slots, and the plan names it with when it was last seen', async () => {
    const lapsed = fleet[1]!;
    runners.stale = new Set([lapsed.id]);
    await api.database.db.updateTable('runners').set({ lease_expires_at: new Date(Date.now() - 1_000) }).where('id', '=', lapsed.id).execute();
    await planner.rebalance(api.orgId);
    const after = await owned();
    assert.equal(after.get(lapsed.id), undefined, 'the lapsed runner owns no slot');
    assert.equal([...after.values()].reduce((a, b) => a + b, 0), 12, 'every slot has a live owner');
    const gone = lines.find((l) => l.includes('runner gone (lease lapsed)') && l.includes(lapsed.id));
    assert.ok(gone, 'the plan logs the lapsed runner');
    assert.match(gone!, /"last_seen_at":"[^"]+"/);
    assert.match(gone!, /"level":40/, 'at warn: a lapse is not a goodbye');
  });
});
