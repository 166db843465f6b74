import { notFound } from '../../contract/errors.ts';
import type { SloInput, SloStatus } from '../../contract/slo.schema.ts';
import { requireTeamAccess } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import { SpecRepository } from '../resources/spec.repository.ts';
import type { Caller } from '../resources/spec.service.ts';
import { coversMonitor, excludedWindows, type MaintenanceWindowDoc } from '../sla/maintenance.expand.ts';
import { addTotals, intersect, union, type Interval } from '../sla/sla.math.ts';
import { SlaRepository, type SlaMonitorRow } from '../sla/sla.repository.ts';
import type { SlaService } from '../sla/sla.service.ts';
import { resolutionFor } from '../sla/sla.window.ts';
import { attainedPercent, burnRate, burnSpans, checksWithin, errorBudget, sloStatus, sloWindow, type BurnSpan, type SloWindowLabel, type Usage } from './slo-status.math.ts';

const none: Usage = { total: 0, bad: 0 };
const iso = (ms: number) => new Date(ms).toISOString();

/** The subject of an objective, as stored. */
interface Subject {
  orgId: string;
  teamId: string;
  monitorId?: string | undefined;
  serviceId?: string | undefined;
}

/**
 * Where an SLO stands in its current window: attained level, error budget and burn rates, answered
 * from state transitions (uptime, through the SLA service, maintenance excluded) and latency rollup
 * histograms (latency). Callers need read access to the SLO's team; anything else is "not found".
 */
export class SloStatusService {
  private readonly slos = new SpecRepository('slos');

  constructor(
    private readonly db: Db,
    private readonly sla: SlaService,
    private readonly repo: SlaRepository = new SlaRepository(),
    private readonly now: () => number = Date.now,
  ) {}

  async status(caller: Caller, id: string): Promise<SloStatus> {
    const orgId = caller.principal.orgId;
    const row = await this.slos.get(this.db, orgId, id);
    if (!row) throw notFound('SLO');
    requireTeamAccess(caller.principal, row.team_id, 'read', 'SLO');
    const slo = row.spec as unknown as SloInput;
    const label: SloWindowLabel = slo.window ?? 'rolling_30d';
    const now = this.now();
    const window = sloWindow(label, now);
    const subject: Subject = { orgId, teamId: row.team_id, monitorId: slo.monitor_id, serviceId: slo.service_id };
    const spans: Array<[BurnSpan, Interval]> = (Object.keys(burnSpans) as BurnSpan[]).map((key) => [key, { start: now - burnSpans[key], end: now }]);
    const ranges: Interval[] = [{ start: window.from, end: window.to }, ...spans.map(([, range]) => range)];

    const [usage, ...burnUsages] = (await this.usages(caller, subject, slo, ranges)) as [Usage, ...Usage[]];
    const budget = errorBudget(slo.target_percent, usage);
    const burn = Object.fromEntries(spans.map(([key], i) => [key, burnRate(slo.target_percent, burnUsages[i]!)])) as Record<BurnSpan, number | null>;
    return {
      slo_id: row.id,
      objective: slo.objective,
      target_percent: slo.target_percent,
      window: { label, from: iso(window.from), to: iso(window.to) },
      attained_percent: attainedPercent(usage),
      error_budget: budget,
      burn_rate: burn,
      status: sloStatus(usage, budget, burn),
    };
  }

  /**
   * The objective's target and its counted and bad units over the last `span` ms, or over its own
   * window ('objective'): what burn_rate(…) and budget_remaining(…) of alert rules read. Undefined
   * when the SLO is not in the organization. No access check: the rule's team was checked when its
   * names were resolved.
   */
  async usage(orgId: string, id: string, span: number | 'objective'): Promise<{ targetPercent: number; usage: Usage } | undefined> {
    const row = await this.slos.get(this.db, orgId, id);
    if (!row) return undefined;
    const slo = row.spec as unknown as SloInput;
    const now = this.now();
    const window = sloWindow(slo.window ?? 'rolling_30d', now);
    const range: Interval = span === 'objective' ? { start: window.from, end: window.to } : { start: now - span, end: now };
    const system: Caller = { principal: { kind: 'api_token', id: 'system:alert-evaluation', name: 'alert evaluation', orgId, orgAdmin: true, teams: new Map() }, requestId: 'alert-evaluation', baseUrl: '' };
    const [usage] = await this.usages(system, { orgId, teamId: row.team_id, monitorId: slo.monitor_id, serviceId: slo.service_id }, slo, [range]);
    return { targetPercent: slo.target_percent, usage: usage! };
  }

  private async usages(caller: Caller, subject: Subject, slo: SloInput, ranges: Interval[]): Promise<Usage[]> {
    if (slo.objective === 'latency') {
      const monitors = await this.monitorsOf(subject);
      const windows = monitors.length ? await this.repo.slaWindows(this.db, subject.orgId, [subject.teamId]) : [];
      return Promise.all(ranges.map((range) => this.latencyUsage(subject.orgId, monitors, windows, range, slo.latency_threshold_ms ?? 0)));
    }
    return Promise.all(ranges.map((range) => this.uptimeUsage(caller, subject, range)));
  }

  /**
   * Observed and down seconds of the subject over a range, from the SLA report: time without a known
   * state (unknown) is neither good nor bad, so a subject never observed has no data. A team's uptime
   * is the mean of its services' (as in its SLA report), so its down time is that share of its observed time.
   */
  private async uptimeUsage(caller: Caller, subject: Subject, range: Interval): Promise<Usage> {
    if (range.end <= range.start) return none;
    const query = { from: iso(range.start), to: iso(range.end) };
    if (subject.monitorId || subject.serviceId) {
      const r = subject.monitorId ? await this.sla.monitor(caller, subject.monitorId, query) : await this.sla.service(caller, subject.serviceId!, query);
      return r.uptime_percent === null ? none : { total: r.observed_seconds, bad: Math.min(r.downtime_seconds, r.observed_seconds) };
    }
    const r = await this.sla.team(caller, subject.teamId, query);
    return r.uptime_percent === null ? none : { total: r.observed_seconds, bad: (r.observed_seconds * (100 - r.uptime_percent)) / 100 };
  }

  /** Monitors the objective is about: the monitor, the service's monitors, or every monitor of the team's services. */
  private async monitorsOf(subject: Subject): Promise<SlaMonitorRow[]> {
    if (subject.monitorId) {
      const row = await this.repo.monitor(this.db, subject.orgId, subject.monitorId);
      return row ? [row] : [];
    }
    const serviceIds = subject.serviceId ? [subject.serviceId] : (await this.repo.servicesOfTeam(this.db, subject.orgId, subject.teamId)).map((s) => s.id);
    return this.repo.monitorsOfServices(this.db, subject.orgId, serviceIds);
  }

  /** Checks and slow checks over a range, from rollup histograms (minute rollups up to 48 h, hour rollups beyond), maintenance left out as in SLA. */
  private async latencyUsage(orgId: string, monitors: SlaMonitorRow[], windows: MaintenanceWindowDoc[], range: Interval, thresholdMs: number): Promise<Usage> {
    if (monitors.length === 0 || range.end <= range.start) return none;
    const exclusions = monitors.flatMap((m) =>
      intersect(union(excludedWindows(windows, (w) => coversMonitor(w, m), range).flatMap((w) => w.spans)), [range]).map((span) => ({ monitorId: m.id, start: new Date(span.start), end: new Date(span.end) })),
    );
    const window = { from: range.start, to: range.end };
    const rows = await this.repo.rollups(this.db, orgId, monitors.map((m) => m.id), resolutionFor(window), new Date(range.start), new Date(range.end), exclusions);
    const totals = addTotals(rows);
    const { total, within } = checksWithin(totals.histogram, thresholdMs, totals.checks > 0 ? totals.maxMs : undefined);
    return { total, bad: total - within };
  }
}
