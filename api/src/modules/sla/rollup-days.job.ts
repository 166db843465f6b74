import type { Db } from '../../db/database.ts';
import { RollupHoursRepository } from '../results/rollup-hours.repository.ts';
import { RollupDaysRepository } from './rollup-days.repository.ts';

export interface RollupDaysJobOptions {
  /** How long after an hour ends its hour rollups are built from its minute rollups (results of the hour that arrive later add into the hour row themselves). */
  hourSettleMs?: number;
  /** How long after midnight (UTC) a day is derived: writes begun before it have committed by then. */
  settleMs: number;
  /** Longest a run keeps deriving (the rest waits for the next run; the SLA reads hours meanwhile). */
  budgetMs: number;
  /** Monitor-days derived again per transaction. */
  batch: number;
}

export const defaultRollupDaysJobOptions: RollupDaysJobOptions = { hourSettleMs: 2 * 60_000, settleMs: 10 * 60_000, budgetMs: 45_000, batch: 5_000 };

/** What one run did. */
export interface RollupDaysRun {
  /** Hours built from minute rollups, and the hour rows written. */
  hours: number;
  hourRows: number;
  days: number;
  dayRows: number;
  rederived: number;
}

/**
 * The rollup job (a leased background job): builds each closed hour's hour rollups from its minute
 * rollups, oldest first, catching up from the watermark; then derives each closed day's rollups from
 * its hour rollups once the day has settled and its hours are built; derives again the monitor-days
 * late writes marked; drops days past hour retention. Bounded in time per run; readers never wait
 * for it, as they read minute rollups for hours not built and hour rollups for days not derived.
 */
export function rollupDaysJob(
  db: Db,
  { options = defaultRollupDaysJobOptions, repo = new RollupDaysRepository(), hours = new RollupHoursRepository() }: { options?: RollupDaysJobOptions; repo?: RollupDaysRepository; hours?: RollupHoursRepository } = {},
) {
  return async (): Promise<RollupDaysRun> => {
    const started = Date.now();
    const inBudget = () => Date.now() - started < options.budgetMs;
    const run: RollupDaysRun = { hours: 0, hourRows: 0, days: 0, dayRows: 0, rederived: 0 };
    const hourSettleMs = options.hourSettleMs ?? defaultRollupDaysJobOptions.hourSettleMs!;
    for (let built = await hours.buildNext(db, hourSettleMs); built; built = await hours.buildNext(db, hourSettleMs)) {
      run.hours += 1;
      run.hourRows += built.rows;
      if (!inBudget()) return run;
    }
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
