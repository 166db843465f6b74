import type { Db } from '../../db/database.ts';
import { monitorDefaults, monitorFacts, monitorSpec } from '../monitors/monitor-spec.ts';
import { noDataAfterSeconds } from './state.machine.ts';
import type { StateRepository } from './state.repository.ts';
import type { StateService } from './state.service.ts';
import { groupBy } from '../../shared/group-by.ts';

/** How many quiet slots one sweep run handles at most; the next run takes the rest (oldest first). */
export const NO_DATA_BATCH = 500;

/**
 * The no-data sweep: a probe monitor's slot with no result for noDataAfterSeconds (its runner
 * stopped reporting, or never started) becomes unknown with cause no_data. Heartbeat monitors are
 * not swept: their missing ping is `down` (the heartbeat sweep), the failure they exist to catch.
 */
export class NoDataService {
  constructor(
    private readonly db: Db,
    private readonly repo: StateRepository,
    private readonly state: StateService,
    private readonly leaseSeconds: number,
    private readonly batch = NO_DATA_BATCH,
  ) {}

  /** Marks quiet slots of every organization, each organization in one transaction; returns how many. */
  async sweep(now = new Date()): Promise<number> {
    const quiet = await this.repo.quietSlots(this.db, {
      now, leaseSeconds: this.leaseSeconds, defaultIntervalSeconds: monitorDefaults.intervalSeconds, defaultTimeoutSeconds: monitorDefaults.timeoutSeconds, limit: this.batch,
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
}
