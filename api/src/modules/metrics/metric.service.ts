import { notFound } from '../../contract/errors.ts';
import { maxMetricPoints, type MetricSeries, type MonitorMetrics, type MonitorMetricsQuery } from '../../contract/health-metrics.schema.ts';
import { requireTeamAccess, type Principal } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import { parseDuration } from '../../shared/duration.ts';
import type { MetricRollupRepository, MetricStepRow } from './metric-rollup.repository.ts';
import { pointOf, seriesFrame, summaryOf } from './metric-series.math.ts';

/** Read side of health-endpoint metrics: per-metric series of minute rollups for one monitor. */
export class MetricService {
  constructor(
    private readonly db: Db,
    private readonly rollups: MetricRollupRepository,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Series and summary of each metric of a monitor over a window ending now (team-scoped like every monitor read). */
  async monitorMetrics(p: Principal, monitorId: string, q: MonitorMetricsQuery): Promise<MonitorMetrics> {
    const spec = await this.rollups.monitorMetricsSpec(this.db, p.orgId, monitorId);
    if (!spec) throw notFound('Monitor');
    requireTeamAccess(p, spec.teamId ?? '', 'read', 'Monitor');
    const window = q.window ?? '1h';
    const frame = seriesFrame(this.clock(), parseDuration(window)!, maxMetricPoints);
    const rows = await this.rollups.series(this.db, p.orgId, monitorId, { ...frame, region: q.region, metric: q.metric });
    const byName = new Map<string, MetricStepRow[]>();
    for (const row of rows) {
      const steps = byName.get(row.metric);
      if (steps) steps.push(row);
      else byName.set(row.metric, [row]);
    }
    const declared = spec.metrics.filter((m) => !q.metric || m.name === q.metric);
    const series: MetricSeries[] = declared.map((m) => ({ name: m.name, path: m.path, summary: summaryOf(byName.get(m.name) ?? []), points: (byName.get(m.name) ?? []).map(pointOf) }));
    const declaredNames = new Set(declared.map((m) => m.name));
    for (const [name, steps] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
      if (!declaredNames.has(name)) series.push({ name, summary: summaryOf(steps), points: steps.map(pointOf) });
    }
    return {
      monitor_id: monitorId,
      ...(q.region ? { region: q.region } : {}),
      window,
      from: new Date(frame.fromMs).toISOString(),
      to: new Date(frame.toMs).toISOString(),
      step_seconds: frame.stepMs / 1000,
      metrics: series,
    };
  }
}
