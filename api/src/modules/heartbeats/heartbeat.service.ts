import { monotonicFactory } from 'ulid';
import { notFound } from '../../contract/errors.ts';
import type { CheckResult } from '../../contract/result.schema.ts';
import type { Db } from '../../db/database.ts';
import { HeartbeatRepository } from './heartbeat.repository.ts';
import type { PartitionManager } from '../results/partition.manager.ts';
import { heartbeatAllowanceSeconds, monitorSpec, type MonitorSpec } from '../monitors/monitor-spec.ts';
import type { ResultRepository } from '../results/result.repository.ts';
import type { MonitorFacts, StateService } from '../state/state.service.ts';

/** Heartbeat monitors have one pseudo-region: the job calls in, nobody probes it. */
export const HEARTBEAT_REGION = 'heartbeat';

// A missed heartbeat is an outage at once, one ping is a recovery: thresholds of 1. A missed ping is
// `down`, never `unknown`/no_data: for a push monitor the silence is the failure it watches for.
const facts = (id: string, serviceId: string, dependencyId: string | null, spec: MonitorSpec): MonitorFacts => ({
  id, serviceId, dependencyId, enabled: spec.enabled, failureThreshold: 1, recoveryThreshold: 1, minFailedRegions: 1, regions: [HEARTBEAT_REGION],
});

/** Pings from jobs (push monitors) and the sweep that marks overdue ones down. */
export class HeartbeatService {
  private readonly ids = monotonicFactory();

  constructor(
    private readonly db: Db,
    private readonly results: ResultRepository,
    private readonly state: StateService,
    private readonly partitions: PartitionManager,
    private readonly heartbeats: HeartbeatRepository = new HeartbeatRepository(),
  ) {}

  /** Records a ping; `status: 'down'` lets a job report its own failure. */
  async ping(token: string, status: 'up' | 'down', message: string | undefined): Promise<{ monitor_id: string; next_due_at: string }> {
    const monitor = await this.heartbeats.byToken(this.db, token);
    if (!monitor) throw notFound('Heartbeat');
    const spec = monitorSpec(monitor.spec);
    const now = new Date();
    const result: CheckResult = {
      id: `res_${this.ids(now.getTime())}`, monitor_id: monitor.id, region: HEARTBEAT_REGION, started_at: now.toISOString(), status, duration_ms: 0,
      ...(status === 'down' ? { error: { code: 'job_failed', message: message?.slice(0, 2000) || 'The job reported a failure.' } } : {}),
    };
    await this.partitions.ensure(now.getTime(), now.getTime());
    await this.db.transaction().execute(async (trx) => {
      const input = [{ orgId: monitor.org_id, runnerId: null, result }];
      await this.results.insert(trx, input);
      await this.results.addRollups(trx, input);
      await this.state.apply(trx, monitor.org_id, [{ monitorId: monitor.id, region: HEARTBEAT_REGION, resultId: result.id, at: now, status, error: result.error ? `${result.error.code}: ${result.error.message}` : undefined }], new Map([[monitor.id, facts(monitor.id, monitor.service_id ?? '', monitor.dependency_id, spec)]]));
    });
    return { monitor_id: monitor.id, next_due_at: new Date(now.getTime() + heartbeatAllowanceSeconds(spec) * 1000).toISOString() };
  }

  /** Marks down every enabled heartbeat monitor with no ping within period + grace; returns how many. */
  async sweep(now = new Date()): Promise<number> {
    const rows = await this.heartbeats.notDown(this.db, HEARTBEAT_REGION);
    let marked = 0;
    for (const m of rows) {
      const spec = monitorSpec(m.spec);
      const allowed = heartbeatAllowanceSeconds(spec) * 1000;
      const since = new Date(m.last ?? m.created_at);
      if (now.getTime() - since.getTime() <= allowed) continue;
      await this.db.transaction().execute((trx) =>
        this.state.apply(trx, m.org_id, [{ monitorId: m.id, region: HEARTBEAT_REGION, resultId: 'overdue', at: now, status: 'down', error: `no heartbeat since ${since.toISOString()}` }], new Map([[m.id, facts(m.id, m.service_id, m.dependency_id, spec)]])),
      );
      marked += 1;
    }
    return marked;
  }
}
