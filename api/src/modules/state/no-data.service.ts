import type { Db } from '../../db/database.ts';
import { monitorDefaults, monitorFacts, monitorSpec } from '../monitors/monitor-spec.ts';
import { noDataAfterSeconds } from './state.machine.ts';
import type { StateRepository } from './state.repository.ts';
import type { StateService } from './state.service.ts';
import { groupBy } from '../../shared/group-by.ts';

/** How many quiet slots one sweep run handles at most; the next run takes the rest (oldest first). */
export const NO_DATA_BATCH = 500;

export interface NoDataSweepOptions {
  /** At most this many quiet slots are marked per run (default NO_DATA_BATCH). */
  batch?: number;
  /** How often the sweep runs (ms, default 2,000): with cycleMs, how much of the fleet one run reads. */
  everyMs?: number;
  /** Every monitor is looked at at least once per cycle (ms, default 10,000). */
  cycleMs?: number;
  /** A run reads at least this many monitors (default 10,000): a fleet up to that size is read whole every run. */
  minStretch?: number;
}

/**
 * The no-data sweep: a probe monitor's slot with no result for noDataAfterSeconds (its runner
 * stopped reporting, or never started) becomes unknown with cause no_data. Heartbeat monitors are
 * not swept: their missing ping is `down` (the heartbeat sweep), the failure they exist to catch.
 *
 * A run reads one stretch of the fleet (monitors by id), not all of it: at 100,000 monitors a read
 * of every slot took about half a second of the primary's time, every 2 s, whether or not any slot
 * was quiet. The stretch is sized from the last full pass so that a pass takes about cycleMs; a
 * fleet of up to minStretch monitors is read whole on every run.
 */
export class NoDataService {
  private readonly batch: number;
  private readonly everyMs: number;
  private readonly cycleMs: number;
  private readonly minStretch: number;
  /** The highest monitor id the last run read ('' : the next run starts a pass at the first). */
  private cursor = '';
  /** Monitors read so far in this pass, and in the last full pass. */
  private seenThisPass = 0;
  private lastPass = 0;

  constructor(
    private readonly db: Db,
    private readonly repo: StateRepository,
    private readonly state: StateService,
    private readonly leaseSeconds: number,
    options: NoDataSweepOptions = {},
  ) {
    this.batch = options.batch ?? NO_DATA_BATCH;
    this.everyMs = options.everyMs ?? 2_000;
    this.cycleMs = options.cycleMs ?? 10_000;
    this.minStretch = options.minStretch ?? 10_000;
  }

  /** How many monitors one run reads: enough that a pass over the last pass's fleet takes about cycleMs. */
  private stretchSize(): number {
    return Math.max(this.minStretch, Math.ceil((this.lastPass * this.everyMs) / this.cycleMs));
  }

  /** Marks quiet slots of the next stretch of the fleet, each organization in one transaction; returns how many. */
  async sweep(now = new Date()): Promise<number> {
    let size = this.stretchSize();
    let after = this.cursor;
    let stretch = await this.repo.monitorStretch(this.db, after, size);
    if (stretch.last === null && after !== '') {
      // The pass ended exactly at the last run's stretch (or monitors past it were deleted): start the next one.
      this.endPass();
      after = '';
      size = this.stretchSize();
      stretch = await this.repo.monitorStretch(this.db, after, size);
    }
    if (stretch.last === null) return 0;
    this.seenThisPass += stretch.monitors;
    if (stretch.monitors < size) this.endPass();
    else this.cursor = stretch.last;
    const quiet = await this.repo.quietSlots(this.db, {
      now, after, last: stretch.last, leaseSeconds: this.leaseSeconds, defaultIntervalSeconds: monitorDefaults.intervalSeconds, defaultTimeoutSeconds: monitorDefaults.timeoutSeconds, limit: this.batch,
    });
    const byOrg = groupBy(quiet, (q) => q.orgId);
    let marked = 0;
    for (const [orgId, slots] of byOrg) {
      const facts = new Map(slots.map((s) => [s.monitorId, monitorFacts({ id: s.monitorId, service_id: s.serviceId, dependency_id: s.dependencyId, spec: s.spec })]));
      const thresholds = new Map(slots.map((s) => [s.monitorId, noDataAfterSeconds(monitorSpec(s.spec), this.leaseSeconds) * 1000]));
      const done = await this.db.transaction().execute((trx) => this.state.recordNoData(trx, orgId, slots, facts, (id) => thresholds.get(id)!, now));
      marked += done.marked.length;
    }
    return marked;
  }

  private endPass(): void {
    this.lastPass = this.seenThisPass;
    this.seenThisPass = 0;
    this.cursor = '';
  }
}
