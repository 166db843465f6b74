import type { SubjectKind } from '../../contract/alert-expression/subject-kinds.ts';
import type { SlotCause, State } from '../../contract/state.schema.ts';
import type { Db } from '../../db/database.ts';
import type { MetricRollupRepository } from '../metrics/metric-rollup.repository.ts';
import { addTotals, percentile } from '../sla/sla.math.ts';
import { MonitorRepository } from '../monitors/monitor.repository.ts';
import { SlaRepository } from '../sla/sla.repository.ts';
import { SlaService } from '../sla/sla.service.ts';
import { SloStatusService } from '../slos/slo-status.service.ts';
import type { StateRepository } from '../state/state.repository.ts';
import type { AlertDataRepository } from './alert-data.repository.ts';
import { resolutionMs, rollupRange } from './alert-window.ts';
import type { AlertDataPort, StateReading, Subject } from './expression.evaluator.ts';
import type { BaselineCache } from './baseline.cache.ts';
import { defaultBaselineOptions, learnBaseline } from './latency.baseline.ts';

/** The repositories the database port reads through. */
export interface AlertDataSources {
  data: AlertDataRepository;
  states: StateRepository;
  metrics: MetricRollupRepository;
  sla?: SlaRepository;
  /** Learnt latency baselines reused across evaluations (none: learnt at every evaluation). */
  baselines?: BaselineCache;
}

const severity: Record<State, number> = { down: 3, degraded: 2, up: 1, unknown: 0 };

/** The cause that explains an unknown state of several slots: no_data wins over no_runner. */
function causeOf(causes: ReadonlyArray<SlotCause | null>): SlotCause | null {
  if (causes.includes('no_data')) return 'no_data';
  return causes.find((c) => c !== null) ?? null;
}

/**
 * The evaluator's data port over the database, inside one transaction (`trx`), for the rules of one
 * team: names resolve among the team's subjects only. Results are memoised for the port's life
 * (one rule evaluation), so a subject named twice is read once.
 */
export function databasePort(trx: Db, orgId: string, teamId: string, now: number, src: AlertDataSources): AlertDataPort {
  const sla = src.sla ?? new SlaRepository();
  const monitorRepo = new MonitorRepository();
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, load: () => Promise<T>): Promise<T> => {
    let p = memo.get(key) as Promise<T> | undefined;
    if (!p) memo.set(key, (p = load()));
    return p;
  };
  // A service is measured by its monitors, an edge by the monitors that check it (monitors.dependency_id).
  const monitorIds = (s: Subject) =>
    s.kind === 'monitor'
      ? Promise.resolve([s.id])
      : s.kind === 'edge'
        ? once(`monitors:edge:${s.id}`, () => src.data.monitorIdsOfEdge(trx, orgId, s.id))
        : once(`monitors:${s.id}`, () => monitorRepo.idsOfService(trx, orgId, s.id));
  const slots = (s: Subject) => once(`slots:${s.kind}:${s.id}`, async () => src.states.causes(trx, orgId, await monitorIds(s)));
  // SLO figures read through the SLO status service, on this transaction.
  const slos = new SloStatusService(trx, new SlaService(trx), sla, () => now);

  return {
    subject: (kind: SubjectKind, name: string, service?: string, dependsOn?: string) =>
      once(`subject:${kind}:${name}:${service ?? ''}:${dependsOn ?? ''}`, async () => {
        const row = await src.data.subjectByName(trx, orgId, teamId, kind, name, service, dependsOn);
        if (!row) return undefined;
        const subject: Subject = { kind, id: row.id, name: row.name, service: kind === 'monitor' || kind === 'edge' ? (row.service_name ?? undefined) : undefined, tags: row.tags };
        if (kind === 'edge') subject.dependsOn = row.depends_on_name;
        return subject;
      }),

    async state(s, region): Promise<StateReading | undefined> {
      const all = await slots(s);
      if (region !== undefined) {
        const here = all.filter((r) => r.region === region);
        if (here.length === 0) return undefined;
        // A service in a region is the worst of its monitors there (as the service state is overall).
        const worst = here.reduce((a, b) => (severity[b.state] > severity[a.state] ? b : a));
        return { state: worst.state, cause: worst.state === 'unknown' ? causeOf(here.map((r) => r.cause)) : null };
      }
      // An edge's state is edge_states' (from the monitors that check it); absent: never evaluated.
      if (s.kind !== 'monitor' && s.kind !== 'service' && s.kind !== 'edge') return undefined;
      const kind = s.kind;
      const state = await once(`state:${kind}:${s.id}`, () => src.data.subjectState(trx, orgId, kind, s.id));
      if (state === undefined) return all.length ? { state: 'unknown', cause: causeOf(all.map((r) => r.cause)) } : undefined;
      return { state, cause: state === 'unknown' ? causeOf(all.map((r) => r.cause)) : null };
    },

    async rollups(s, windowMs, region) {
      const range = rollupRange(windowMs, now);
      const ids = await monitorIds(s);
      const rows = await once(`rollups:${s.kind}:${s.id}:${windowMs}`, () =>
        sla.rollups(trx, orgId, ids, range.resolution, new Date(range.from), new Date(range.lastBucket + resolutionMs[range.resolution]), []),
      );
      const picked = region === undefined ? rows : rows.filter((r) => r.region === region);
      return picked.length ? addTotals(picked) : undefined;
    },

    async lastLatency(s, region) {
      const rows = await once(`latest:${s.kind}:${s.id}`, async () => src.data.latestDurations(trx, orgId, await monitorIds(s), new Date(now)));
      const picked = region === undefined ? rows : rows.filter((r) => r.region === region);
      return picked.length ? Math.max(...picked.map((r) => r.duration_ms)) : undefined;
    },

    metric: (m, metric, windowMs, region) => once(`metric:${m.id}:${metric}:${windowMs}:${region ?? ''}`, () => src.metrics.metricWindow(trx, orgId, m.id, metric, windowMs, region, now)),

    latencyBaseline: (s, region, excludeRecentMs) => {
      const learn = async () => {
        const from = new Date(now - defaultBaselineOptions.lookback_ms - excludeRecentMs);
        const minutes = await src.data.minuteHistograms(trx, orgId, await monitorIds(s), from, new Date(now), region);
        const history = minutes.flatMap((m) => {
          const p95 = percentile(m.histogram, 0.95, m.checks > 0 ? m.maxMs : undefined);
          return p95 === undefined ? [] : [{ at: m.at, p95_ms: p95 }];
        });
        return learnBaseline(history, now, { exclude_recent_ms: excludeRecentMs });
      };
      const key = `${orgId}:${s.kind}:${s.id}:${region ?? ''}:${excludeRecentMs}`;
      return once(`baseline:${key}`, () => (src.baselines ? src.baselines.get(key, now, learn) : learn()));
    },

    sloUsage: (s, span) => once(`slo:${s.id}:${span}`, () => slos.usage(orgId, s.id, span)),

    async prime(subjects) {
      for (const kind of ['monitor', 'service', 'edge'] as const) {
        const ids = [...new Set(subjects.filter((s) => s.kind === kind).map((s) => s.id))].filter((id) => !memo.has(`state:${kind}:${id}`));
        if (ids.length === 0) continue;
        const states = src.data.subjectStates(trx, orgId, kind, ids);
        // Each read-ahead is marked handled: a failed query fails the evaluation that awaits it, never the process.
        const keep = (key: string, p: Promise<unknown>) => {
          p.catch(() => undefined);
          memo.set(key, p);
        };
        for (const id of ids) keep(`state:${kind}:${id}`, states.then((m) => m.get(id)));
        if (kind !== 'monitor') continue;
        const slotRows = src.states.causes(trx, orgId, ids).then((rows) => {
          const byMonitor = new Map<string, typeof rows>();
          for (const r of rows) byMonitor.set(r.monitorId, [...(byMonitor.get(r.monitorId) ?? []), r]);
          return byMonitor;
        });
        for (const id of ids) keep(`slots:monitor:${id}`, slotRows.then((m) => m.get(id) ?? []));
        await Promise.all([states, slotRows]);
      }
    },
  };
}
