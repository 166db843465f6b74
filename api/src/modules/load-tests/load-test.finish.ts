import { loadTestSpecOf } from './load-test-spec.ts';
import { overallFigures, verdictOf } from './load-test.figures.ts';
import { reportOf } from './load-test.present.ts';
import type { LoadTestRepository, LoadTestRow } from './load-test.repository.ts';
import type { Db } from '../../db/database.ts';

const final = (state: string) => state === 'done' || state === 'aborted' || state === 'error';

/**
 * Ends a test whose regions are all final, in the caller's transaction (the test row locked):
 * aborted stays aborted; a region in error makes the test error (no verdict); otherwise passed or
 * failed against the criteria. Returns the end state, or undefined when a region still runs.
 */
export async function finishIfSettled(trx: Db, repo: LoadTestRepository, test: LoadTestRow): Promise<string | undefined> {
  if (test.state !== 'queued' && test.state !== 'running') return undefined;
  const shares = await repo.shares(trx, [test.id]);
  if (shares.some((s) => !final(s.state))) return undefined;
  const failed = shares.filter((s) => s.state === 'error');
  if (failed.length) {
    await repo.finish(trx, test.id, { state: 'error', verdict: null, reasons: failed.map((s) => `${s.region}: ${s.message ?? 'the share did not finish'}`) });
    return 'error';
  }
  if (shares.some((s) => s.state === 'aborted')) {
    await repo.finish(trx, test.id, { state: 'aborted', verdict: null, reasons: [] });
    return 'aborted';
  }
  const { verdict, reasons } = verdictOf(loadTestSpecOf(test.spec).criteria, overallFigures(shares.map(reportOf)));
  const state = verdict === 'pass' ? 'passed' : 'failed';
  await repo.finish(trx, test.id, { state, verdict, reasons });
  return state;
}
