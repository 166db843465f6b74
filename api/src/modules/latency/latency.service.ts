import { notFound } from '../../contract/errors.ts';
import type { MonitorLatency, MonitorLatencyQuery } from '../../contract/latency.schema.ts';
import { requireTeamAccess, type Principal } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import { LatencyRepository } from './latency.repository.ts';
import { latencyRange, latencySeries } from './latency.series.ts';

/** Latency over time per region of a monitor (p50/p95 per step), from the rollup histograms. */
export class LatencyService {
  constructor(
    private readonly db: Db,
    private readonly repo: LatencyRepository = new LatencyRepository(),
    private readonly now: () => number = Date.now,
  ) {}

  async monitor(principal: Principal, id: string, query: MonitorLatencyQuery): Promise<MonitorLatency> {
    const range = latencyRange(query, this.now());
    const monitor = await this.repo.monitor(this.db, principal.orgId, id);
    if (!monitor) throw notFound('Monitor');
    requireTeamAccess(principal, monitor.team_id, 'read', 'Monitor');
    const steps = await this.repo.steps(this.db, principal.orgId, id, range.resolution, new Date(range.from), new Date(range.to), range.stepMs, query.region);
    const regions = query.region === undefined ? monitor.regions : [query.region];
    return {
      monitor_id: id,
      ...(range.window ? { window: range.window } : {}),
      from: new Date(range.from).toISOString(),
      to: new Date(range.to).toISOString(),
      step_seconds: range.stepMs / 1000,
      resolution: range.resolution,
      regions: latencySeries(steps, regions),
    };
  }
}
