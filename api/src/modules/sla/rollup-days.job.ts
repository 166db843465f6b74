import type { Db } from '../../db/database.ts';
import { RollupDaysRepository } from './rollup-days.repository.ts';

export interface RollupDaysJobOptions {
  /** How long after midnight (UTC) a day is derived: writes begun before it have committed by then. */
  settleMs: number;
  /** Longest a run keeps deriving (the rest waits for the next run; the SLA reads hours meanwhile). */
  budgetMs: number;
  /** Monitor-days derived again per transaction. */
  batch: number;
}

export const defaultRollupDaysJobOptions: RollupDaysJobOptions = { settleMs: 10 * 60_000, budgetMs: 45_000, batch: 5_000 };

/** What one run did. */
export interface RollupDaysRun {
  days: number;
  dayRows: number;
  rederived: number;
}

/**
 * The day-rollup job (a leased background job): derives each closed day's rollups once it has
 * settled, oldest first; derives again the monitor-days late writes marked; drops days past hour
 * retention. Bounded in time per run; the SLA never waits for it, as it reads hour rollups for
 * whatever is not derived.
 */
export function rollupDaysJob(db: Db, options: RollupDaysJobOptions = defaultRollupDaysJobOptions, repo = new RollupDaysRepository()) {
  return async (): Promise<RollupDaysRun> => {
    const started = Date.now();
    const inBudget = () => Date.now() - started < options.budgetMs;
    const run: RollupDaysRun = { days: 0, dayRows: 0, rederived: 0 };
    for (const day of await repo.pendingDays(db, options.settleMs, 1_000)) {
      run.dayRows += await repo.deriveDay(db, day);
      run.days += 1;
      if (!inBudget()) return run;
    }
    while (inBudget()) {
      const n = await repo.rederiveDirty(db, options.batch);
      run.rederived += n;
      if (n < options.batch) break;
    }
    await repo.prune(db);
    return run;
  };
}
