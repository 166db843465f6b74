import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';
import { NoDataService } from '../src/modules/state/no-data.service.ts';
import { StateRepository } from '../src/modules/state/state.repository.ts';
import { StateService } from '../src/modules/state/state.service.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { bodies, expectOk, unique } from './support/world.ts';

// A fleet larger than one stretch is swept a stretch per run: each run reads only the monitors of
// its stretch (by id), a pass covers the fleet, and the stretch is sized from the last pass so a
// pass takes about the sweep's cycle. Slots are written straight into the tables, as in
// no-data-scale.test.ts.

const MONITORS = 2_000;
const REGIONS = ['stretch-a', 'stretch-b'];
const LEASE = 10;

/** Records the stretch sizes the sweep asks for. */
class RecordingRepository extends StateRepository {
  readonly asked: number[] = [];
  override async monitorStretch(db: Db, after: string, chunk: number) {
    this.asked.push(chunk);
    return super.monitorStretch(db, after, chunk);
  }
}

describe('no-data sweep in stretches on postgres', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let quietIds: string[];
  before(async () => {
    api = await startTestApi({ app: { sweepEveryMs: 3_600_000 } });
    const team = (await expectOk(api, 'POST', '/v1/teams', api.adminToken, { name: unique('t') })).id;
    const service = (await expectOk(api, 'POST', '/v1/services', api.adminToken, bodies.service(team))).id;
    const template = (await expectOk(api, 'POST', '/v1/monitors', api.adminToken, { ...bodies.monitor(service), regions: REGIONS })).id;
    await api.app.settle();
    const db = api.database.db;
    // The template sorts before 'mon_stretch_…' ids ('mon_' + random), or after: either way it is one of the fleet.
    await sql`INSERT INTO monitors (id, org_id, team_id, name, type, service_id, spec, secrets, created_at, updated_at)
              SELECT 'mon_stretch_' || lpad(i::text, 5, '0'), org_id, team_id, name || '-' || i, type, service_id, spec, secrets, created_at, updated_at
              FROM monitors, generate_series(1, ${MONITORS - 1}) AS i WHERE id = ${template}`.execute(db);
    await sql`INSERT INTO slot_states (org_id, monitor_id, region, state, since, successes, last_result_id, last_result_at)
              SELECT m.org_id, m.id, r.region, 'up', now() - interval '1 hour', 1, 'res_x', now() - interval '1 second'
              FROM monitors m CROSS JOIN unnest(${REGIONS}::text[]) AS r(region) WHERE m.org_id = ${api.orgId}
              ON CONFLICT (monitor_id, region) DO UPDATE SET state = 'up', since = excluded.since, last_result_at = excluded.last_result_at, cause = NULL`.execute(db);
    // One quiet slot every 50 monitors, spread over the whole fleet.
    quietIds = Array.from({ length: MONITORS / 50 }, (_, k) => `mon_stretch_${String(k * 50 + 25).padStart(5, '0')}`);
    await sql`UPDATE slot_states SET last_result_at = now() - interval '10 minutes' WHERE monitor_id = ANY(${quietIds}::text[]) AND region = ${REGIONS[0]}`.execute(db);
  });
  after(async () => api?.close());

  test(`${MONITORS} monitors read 500 per run: a run marks only its stretch's quiet slots, a pass marks all; the next pass's stretch is sized from this one`, async () => {
    const db = api.database.db;
    const repo = new RecordingRepository();
    const sweeper = new NoDataService(db, repo, new StateService(repo), LEASE, { everyMs: 2_000, cycleMs: 4_000, minStretch: 500 });
    const fleet = (await db.selectFrom('monitors').select('id').where('org_id', '=', api.orgId).orderBy('id').execute()).map((m) => m.id);
    const stretchOf = (id: string) => Math.floor(fleet.indexOf(id) / 500);
    const marked: string[][] = [];
    for (let run = 0; run < 4; run++) {
      const before = new Set((await repo.slotsWithCause(db, api.orgId, 'no_data')).map((s) => s.monitorId));
      assert.equal(await sweeper.sweep(), quietIds.filter((id) => stretchOf(id) === run).length, `run ${run + 1} marks the quiet slots of stretch ${run + 1}`);
      marked.push((await repo.slotsWithCause(db, api.orgId, 'no_data')).map((s) => s.monitorId).filter((id) => !before.has(id)));
    }
    marked.forEach((ids, run) => assert.ok(ids.length > 0 && ids.every((id) => stretchOf(id) === run), `run ${run + 1} marked only monitors of its stretch: ${ids.join(', ')}`));
    assert.deepEqual(new Set(marked.flat()), new Set(quietIds), 'one pass marked every quiet slot of the fleet');
    assert.equal(await sweeper.sweep(), 0, 'the next pass finds nothing new');
    // The first pass saw 2,000 monitors, so a 4 s cycle of 2 s runs reads 1,000 per run; the fifth
    // run found nothing past the fourth stretch and started the next pass.
    assert.deepEqual(repo.asked, [500, 500, 500, 500, 500, 1_000], "the fifth run finds the pass ended and starts the next with 1,000");
  });
});
