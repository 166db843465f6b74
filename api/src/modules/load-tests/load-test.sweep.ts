import type { Db } from '../../db/database.ts';
import type { Logger } from '../../observability/logger.ts';
import { groupBy } from '../../shared/group-by.ts';
import type { WakeupBus } from '../runner/wakeup.bus.ts';
import { finishIfSettled } from './load-test.finish.ts';
import type { LoadTestMetrics } from './load-test.metrics.ts';
import type { LoadTestRepository } from './load-test.repository.ts';

/**
 * The background job (leased: one replica runs it) that ends what runners cannot: a share whose
 * runner lost its lease ends in error, a test past its deadline plus the grace ends its unfinished
 * regions in error, and a test whose regions are all final is finished. Returns how many tests it ended.
 */
export function loadTestSweep(db: Db, repo: LoadTestRepository, bus: WakeupBus, metrics: LoadTestMetrics, logger: Logger, graceSeconds: number) {
  const settle = async (orgId: string, testId: string, end: (trx: Db) => Promise<string[]>): Promise<boolean> => {
    const { ended, wake } = await db.transaction().execute(async (trx) => {
      const test = await repo.get(trx, orgId, testId, true);
      if (!test || (test.state !== 'queued' && test.state !== 'running')) return { ended: undefined, wake: [] };
      const wake = await end(trx);
      return { ended: await finishIfSettled(trx, repo, test), wake };
    });
    bus.notify(wake);
    if (ended) metrics.finished.inc({ state: ended });
    return ended !== undefined;
  };
  return async (): Promise<number> => {
    let ended = 0;
    const orphaned = await repo.orphanedShares(db);
    for (const [testId, shares] of groupBy(orphaned, (s) => s.load_test_id)) {
      const first = shares[0]!;
      logger.warn({ load_test_id: testId, regions: shares.map((s) => s.region), runner_ids: shares.map((s) => s.runner_id) }, 'load-test share lost its runner');
      if (await settle(first.org_id, testId, async (trx) => {
        for (const s of shares) await repo.endShares(trx, testId, 'error', `runner ${s.runner_id} lost its lease before the share finished (stopped polling); the figures are those of its last report`, [s.region]);
        return [];
      })) ended++;
    }
    for (const t of await repo.overdueTests(db, graceSeconds)) {
      if (await settle(t.org_id, t.id, (trx) => repo.endShares(trx, t.id, 'error', `no final report by the test's deadline plus ${graceSeconds} s; the figures are those of the last report`))) ended++;
    }
    for (const t of await repo.settledTests(db)) if (await settle(t.org_id, t.id, async () => [])) ended++;
    return ended;
  };
}
