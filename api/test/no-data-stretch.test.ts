import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Db } from '../src/db/database.ts';
import { NoDataService } from '../src/modules/state/no-data.service.ts';
import { StateRepository } from '../src/modules/state/state.repository.ts';
import { StateService } from '../src/modules/state/state.service.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { seedSlotFleet } from './support/slot-fleet.ts';

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
    await seedSlotFleet(api, { monitors: MONITORS, regions: REGIONS, idPrefix: 'mon_stretch_' });
    const db = api.database.db;
    // One quiet slot every 50 monitors, spread over the whole fleet.
    quietIds = Array.from({ length: MONITORS / 50 }, (_, k) => `mon_stretch_${String(k * 50 + 25).padStart(6, '0')}`);
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
