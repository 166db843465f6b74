import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { NoDataService } from '../src/modules/state/no-data.service.ts';
import { StateRepository } from '../src/modules/state/state.repository.ts';
import { StateService } from '../src/modules/state/state.service.ts';
import { startTestApi, postgresSkip, type TestApi } from './support/harness.ts';
import { seedSlotFleet } from './support/slot-fleet.ts';

// The no-data sweep over many slots: one run handles a bounded batch, oldest first, and a run over
// slots that all report in time only reads. Slots are written straight into the tables (as the
// ingest would leave them) so the test measures the sweep, not the ingest.

const MONITORS = 10_000;
const REGIONS = ['scale-a', 'scale-b'];
const QUIET = 1_200;
const BATCH = 500;
const LEASE = 10;

describe('no-data sweep at scale on postgres', { skip: postgresSkip() }, () => {
  let api: TestApi;
  let sweeper: NoDataService;
  before(async () => {
    // The app's own sweep runs rarely here, so only the sweeper below marks slots.
    api = await startTestApi({ app: { sweepEveryMs: 3_600_000 } });
    await seedSlotFleet(api, { monitors: MONITORS, regions: REGIONS, idPrefix: 'mon_scale_' });
    const db = api.database.db;
    // Every slot reported a second ago (interval 30 s: threshold max(60, 30 + 10 + 10) = 60 s) but
    // QUIET of them, which last reported 5 to 6 minutes ago.
    await sql`UPDATE slot_states SET last_result_at = now() - interval '5 minutes' - random() * interval '1 minute'
              WHERE (monitor_id, region) IN (SELECT monitor_id, region FROM slot_states WHERE org_id = ${api.orgId} ORDER BY monitor_id, region LIMIT ${QUIET})`.execute(db);
    const repo = new StateRepository();
    sweeper = new NoDataService(db, repo, new StateService(repo), LEASE, { batch: BATCH });
  });
  after(async () => api?.close());

  test(`${MONITORS} monitors × ${REGIONS.length} regions: ${QUIET} quiet slots are marked ${BATCH} per run, oldest first; a run with nothing to mark only reads`, async (t) => {
    const db = api.database.db;
    const oldest = await db.selectFrom('slot_states').select(['monitor_id', 'region']).where('org_id', '=', api.orgId).orderBy('last_result_at').limit(BATCH).execute();
    const timings: number[] = [];
    const marked: number[] = [];
    for (let run = 0; run < 4; run++) {
      const started = performance.now();
      marked.push(await sweeper.sweep());
      timings.push(performance.now() - started);
      if (run === 0) {
        const first = await db.selectFrom('slot_states').select(['monitor_id', 'region']).where('org_id', '=', api.orgId).where('cause', '=', 'no_data').execute();
        assert.deepEqual(new Set(first.map((s) => `${s.monitor_id}@${s.region}`)), new Set(oldest.map((s) => `${s.monitor_id}@${s.region}`)), 'the first run took the oldest quiet slots');
      }
    }
    assert.deepEqual(marked, [BATCH, BATCH, QUIET - 2 * BATCH, 0]);
    const noData = await db.selectFrom('slot_states').select(({ fn }) => fn.countAll<string>().as('n')).where('org_id', '=', api.orgId).where('cause', '=', 'no_data').where('state', '=', 'unknown').executeTakeFirstOrThrow();
    assert.equal(Number(noData.n), QUIET);
    const transitions = await db.selectFrom('state_transitions').select(({ fn }) => fn.countAll<string>().as('n')).where('org_id', '=', api.orgId).where('subject_type', '=', 'slot').where('to_state', '=', 'unknown').executeTakeFirstOrThrow();
    assert.equal(Number(transitions.n), QUIET, 'one transition per slot marked');
    t.diagnostic(`sweep runs over ${MONITORS * REGIONS.length} slots: ${timings.map((ms) => `${ms.toFixed(0)} ms`).join(', ')} (marked ${marked.join(', ')})`);
  });
});
