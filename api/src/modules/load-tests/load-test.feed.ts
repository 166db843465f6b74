import type { RunnerPrincipal } from '../../auth/principal.ts';
import { PharosError } from '../../contract/errors.ts';
import { LOAD_TEST_CAPABILITY, type LoadTestProgress, type LoadTestShare } from '../../contract/load-test.schema.ts';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../resources/transaction.ts';
import { loadTestSpecOf } from './load-test-spec.ts';
import { finishIfSettled } from './load-test.finish.ts';
import type { LoadTestMetrics } from './load-test.metrics.ts';
import type { LoadTestRepository } from './load-test.repository.ts';

/** What the assignment feed adds for a runner with the load_test capability. */
export interface LoadTestAssignments {
  load_tests: LoadTestShare[];
  aborted_load_tests: string[];
}

/**
 * The runner's side of load tests: the shares its assignment feed carries (only the runner a share
 * was handed to receives it, secret headers included), and its progress reports.
 */
export class LoadTestFeed {
  constructor(
    private readonly db: Db,
    private readonly repo: LoadTestRepository,
    private readonly metrics: LoadTestMetrics,
  ) {}

  /** Whether the runner registered the load_test capability (runners without it see no change in the feed). */
  serves(runner: { capabilities: readonly string[] }): boolean {
    return runner.capabilities.includes(LOAD_TEST_CAPABILITY);
  }

  /** Whether the runner's long poll should answer now: a share is new for it, or one it runs was stopped. */
  due(db: Db, runnerId: string): Promise<boolean> {
    return this.repo.feedDue(db, runnerId);
  }

  /** The shares the runner runs now and the ones it must stop. */
  async assignments(db: Db, runnerId: string): Promise<LoadTestAssignments> {
    const rows = await this.repo.takeShares(db, runnerId);
    const stopped = await this.repo.takeStopped(db, runnerId);
    return {
      load_tests: rows.map((row) => {
        const spec = loadTestSpecOf(row.spec);
        const secrets = row.secrets as Record<string, string> | null;
        return {
          load_test_id: row.load_test_id,
          request: { ...spec.request, ...(secrets ? { secret_headers: secrets } : {}) },
          requests: row.requests,
          duration_seconds: spec.durationSeconds,
          concurrency: spec.concurrency,
          rate_per_second: spec.ratePerSecond,
          timeout_ms: spec.timeoutMs,
          deadline: new Date(row.deadline).toISOString(),
        };
      }),
      aborted_load_tests: stopped,
    };
  }

  /**
   * Stores a runner's cumulative report of its share (a lower or equal seq than the stored one is
   * ignored), ends the test when it was the last region to finish, and says whether to abort.
   */
  async progress(principal: RunnerPrincipal, runnerId: string, testId: string, report: LoadTestProgress): Promise<{ abort: boolean }> {
    if (report.errors > report.requests) {
      throw new PharosError('validation_failed', `errors (${report.errors}) cannot exceed requests (${report.requests}): both count completed requests since the share started.`, [{ pointer: '/errors', message: 'Must not exceed requests.' }]);
    }
    const outcome = await inTransaction(this.db, 'load test progress', async (trx) => {
      // The test row first, as abort and the sweep lock it: one lock order, no deadlock.
      const test = await this.repo.get(trx, principal.orgId, testId, true);
      const share = test && (await this.repo.shareOf(trx, principal.orgId, testId, runnerId));
      if (!test || !share) throw new PharosError('not_found', `Load test ${testId} has no share for runner ${runnerId}; run only the shares your assignments list.`);
      if (share.state === 'done') return { abort: false };
      if (share.state === 'aborted' || share.state === 'error') return { abort: true };
      if (report.seq <= share.seq) return { abort: false };
      const { runner_id: _r, seq, ...stored } = report;
      await this.repo.writeReport(trx, testId, share.region, {
        seq, report: stored, state: report.final ? (report.error ? 'error' : 'done') : 'running', message: report.final && report.error ? `the runner could not run the share: ${report.error}` : null,
      });
      if (test.state === 'queued') await this.repo.markStarted(trx, testId);
      const ended = report.final ? await finishIfSettled(trx, this.repo, test) : undefined;
      return { abort: false, ended };
    });
    this.metrics.reports.inc({ final: String(report.final) });
    if ('ended' in outcome && outcome.ended) this.metrics.finished.inc({ state: outcome.ended });
    return { abort: outcome.abort };
  }
}
