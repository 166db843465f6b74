import { notFound } from '../../contract/errors.ts';
import { slaDailyDefaultDays, type SlaDaily, type SlaDay, type SlaFigures, type SlaReport } from '../../contract/sla.schema.ts';
import type { IncidentFigures } from '../../contract/incident.schema.ts';
import { requireTeamAccess } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import type { Caller } from '../resources/spec.service.ts';
import { coversMonitor, coversService, excludedWindows, type ExpandedWindow, type MaintenanceWindowDoc } from './maintenance.expand.ts';
import { addTotals, anyOf, clip, emptyTotals, groupFigures, intersect, measure, subjectFigures, subtract, timeline, union, type Interval, type RollupTotals, type Timeline, type TransitionPoint } from './sla.math.ts';
import { SlaRepository, type SlaMonitorRow, type SlaNamedRow, type TransitionRow } from './sla.repository.ts';
import { resolutionFor, resolveWindow, type SlaWindow, type SlaWindowLabel } from './sla.window.ts';
import { dailyFigures, dayLine, utcDays } from './sla.daily.ts';
import { incidentFigures } from '../incidents/incident.present.ts';
import { IncidentRepository } from '../incidents/incident.repository.ts';

export interface SlaQueryInput {
  window?: SlaWindowLabel | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** The time bookkeeping of one subject inside the window. */
interface Accounting {
  /** Time the subject existed inside the window. */
  existence: Interval[];
  /** Maintenance spans that apply to it, within its existence. */
  excluded: Interval[];
  /** existence − excluded: the time its figures are about. */
  counted: Interval[];
  windows: ExpandedWindow[];
}

interface MonitorFacts {
  row: SlaMonitorRow;
  time: Accounting;
  /** Down and observed intervals of the monitor's own (quorum) state. */
  line: Timeline;
  slots: Map<string, Timeline>;
  totals: Map<string, RollupTotals>;
  regions: string[];
}

interface ServiceFacts {
  row: SlaNamedRow;
  time: Accounting;
  line: Timeline;
  monitors: MonitorFacts[];
  regions: string[];
  figures: SlaFigures;
  regionLines: Map<string, Timeline>;
  regionFigures: Map<string, SlaFigures>;
}

type Region = SlaReport['regions'][number];

const seconds = (ms: number) => Math.round(ms) / 1000;
const iso = (ms: number) => new Date(ms).toISOString();
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

const never: Timeline = { down: [], observed: [] };

/** Groups transition rows by subject (and region) into down and observed intervals within the window. */
function timelineBySubject(rows: TransitionRow[], range: Interval, keyOf: (row: TransitionRow) => string): Map<string, Timeline> {
  const points = new Map<string, TransitionPoint[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = points.get(key) ?? [];
    list.push({ at: row.at.getTime(), to: row.to_state });
    points.set(key, list);
  }
  // Rows at or before the window start carry the state in force; timeline settles them first.
  return new Map([...points].map(([key, list]) => [key, timeline('unknown', list, range)]));
}

function account(createdAt: Date, range: Interval, windows: ExpandedWindow[]): Accounting {
  const existence = clip([{ start: createdAt.getTime(), end: range.end }], range);
  const excluded = intersect(union(windows.flatMap((w) => w.spans)), existence);
  return { existence, excluded, counted: subtract(existence, excluded), windows };
}

/**
 * SLA and SLO figures of monitors, services and teams, answered from state transitions and
 * latency rollups. Callers need read access to the subject's team; anything else is "not found".
 */
export class SlaService {
  constructor(
    private readonly db: Db,
    private readonly repo: SlaRepository = new SlaRepository(),
    private readonly now: () => number = Date.now,
    private readonly incidents: IncidentRepository = new IncidentRepository(),
  ) {}

  async monitor(caller: Caller, id: string, query: SlaQueryInput): Promise<SlaReport> {
    const window = resolveWindow(query, this.now());
    const orgId = caller.principal.orgId;
    const row = await this.repo.monitor(this.db, orgId, id);
    if (!row) throw notFound('Monitor');
    requireTeamAccess(caller.principal, row.team_id, 'read', 'Monitor');
    const windows = await this.repo.slaWindows(this.db, orgId, [row.team_id]);
    const [m] = await this.monitorFacts(orgId, [row], windows, window);
    const facts = m!;
    const regions = facts.regions.map((region): Region => ({ region, ...subjectFigures(facts.slots.get(region) ?? never, facts.time.counted, facts.totals.get(region) ?? emptyTotals()) }));
    return {
      ...this.header('monitor', row, window, facts.time),
      ...subjectFigures(facts.line, facts.time.counted, addTotals([...facts.totals.values()])),
      regions,
    };
  }

  async service(caller: Caller, id: string, query: SlaQueryInput): Promise<SlaReport> {
    const window = resolveWindow(query, this.now());
    const orgId = caller.principal.orgId;
    const row = await this.repo.service(this.db, orgId, id);
    if (!row) throw notFound('Service');
    requireTeamAccess(caller.principal, row.team_id, 'read', 'Service');
    const windows = await this.repo.slaWindows(this.db, orgId, [row.team_id]);
    const [s] = await this.serviceFacts(orgId, [row], windows, window);
    const facts = s!;
    return {
      ...this.header('service', row, window, facts.time),
      incidents: await this.incidentsOf(orgId, { serviceId: row.id }, window),
      ...facts.figures,
      regions: facts.regions.map((region) => ({ region, ...facts.regionFigures.get(region)! })),
      parts: facts.monitors.map((m) => ({ type: 'monitor' as const, id: m.row.id, name: m.row.name, ...subjectFigures(m.line, m.time.counted, addTotals([...m.totals.values()])) })),
    };
  }

  /**
   * A dependency edge's figures: its own state line (from the monitors that name it), per region
   * the worst of those monitors there, and per monitor. The edge is part of its dependent service,
   * so that service's maintenance windows apply to it.
   */
  async dependency(caller: Caller, id: string, query: SlaQueryInput): Promise<SlaReport> {
    const window = resolveWindow(query, this.now());
    const orgId = caller.principal.orgId;
    const row = await this.repo.dependency(this.db, orgId, id);
    if (!row) throw notFound('Dependency');
    requireTeamAccess(caller.principal, row.team_id, 'read', 'Dependency');
    const range: Interval = { start: window.from, end: window.to };
    const [windows, monitorRows] = await Promise.all([this.repo.slaWindows(this.db, orgId, [row.team_id]), this.repo.monitorsOfDependency(this.db, orgId, row.id)]);
    const [monitors, transitions] = await Promise.all([
      this.monitorFacts(orgId, monitorRows, windows, window),
      this.repo.transitions(this.db, orgId, 'edge', [row.id], new Date(window.from), new Date(window.to)),
    ]);
    const time = account(row.created_at, range, excludedWindows(windows, (w) => coversService(w, { id: row.service_id, team_id: row.team_id }), range));
    const line = timelineBySubject(transitions, range, (r) => r.subject_id).get(row.id) ?? never;
    const totalsIn = (region?: string) => addTotals(monitors.flatMap((m) => (region === undefined ? [...m.totals.values()] : m.totals.has(region) ? [m.totals.get(region)!] : [])));
    return {
      ...this.header('edge', row, window, time),
      ...subjectFigures(line, time.counted, totalsIn()),
      regions: sorted(monitors.flatMap((m) => m.regions)).map((region): Region => ({ region, ...subjectFigures(anyOf(monitors.map((m) => m.slots.get(region) ?? never)), time.counted, totalsIn(region)) })),
      parts: monitors.map((m) => ({ type: 'monitor' as const, id: m.row.id, name: m.row.name, ...subjectFigures(m.line, m.time.counted, addTotals([...m.totals.values()])) })),
    };
  }

  async team(caller: Caller, id: string, query: SlaQueryInput): Promise<SlaReport> {
    const window = resolveWindow(query, this.now());
    const orgId = caller.principal.orgId;
    const team = await this.repo.team(this.db, orgId, id);
    if (!team) throw notFound('Team');
    requireTeamAccess(caller.principal, team.id, 'read', 'Team');
    const [services, windows] = await Promise.all([this.repo.servicesOfTeam(this.db, orgId, team.id), this.repo.slaWindows(this.db, orgId, [team.id])]);
    const facts = await this.serviceFacts(orgId, services, windows, window);
    const monitors = facts.flatMap((s) => s.monitors);
    const totalsIn = (region?: string) => addTotals(monitors.flatMap((m) => (region === undefined ? [...m.totals.values()] : m.totals.has(region) ? [m.totals.get(region)!] : [])));
    // The team is observed while any of its services is observed within that service's counted time.
    const groupTime = (parts: Array<{ counted: Interval[]; line: Timeline }>) => ({
      countedMs: measure(union(parts.flatMap((p) => p.counted))),
      observedMs: measure(union(parts.flatMap((p) => intersect(p.line.observed, p.counted)))),
    });
    const regions = sorted(facts.flatMap((s) => s.regions)).map((region): Region => {
      const having = facts.filter((s) => s.regionFigures.has(region));
      return {
        region,
        ...groupFigures(having.map((s) => s.regionFigures.get(region)!), totalsIn(region), groupTime(having.map((s) => ({ counted: s.time.counted, line: s.regionLines.get(region)! })))),
      };
    });
    // The team's time is counted while any of its services is counted, and excluded while every
    // service that exists is in maintenance.
    const existence = union(facts.flatMap((s) => s.time.existence));
    const counted = union(facts.flatMap((s) => s.time.counted));
    const byWindow = new Map<string, ExpandedWindow>();
    for (const w of facts.flatMap((s) => s.time.windows)) byWindow.set(w.id, w);
    const time: Accounting = { existence, excluded: subtract(existence, counted), counted, windows: [...byWindow.values()] };
    return {
      ...this.header('team', team, window, time),
      incidents: await this.incidentsOf(orgId, { teamId: team.id }, window),
      ...groupFigures(facts.map((s) => s.figures), totalsIn(), groupTime(facts.map((s) => ({ counted: s.time.counted, line: s.line })))),
      regions,
      parts: facts.map((s) => ({ type: 'service' as const, id: s.row.id, name: s.row.name, ...s.figures })),
    };
  }

  /** Daily uptime of a monitor (its own quorum state) over the last `days` UTC days, oldest first. */
  async monitorDaily(caller: Caller, id: string, query: { days?: number | undefined }): Promise<SlaDaily> {
    const orgId = caller.principal.orgId;
    const row = await this.repo.monitor(this.db, orgId, id);
    if (!row) throw notFound('Monitor');
    requireTeamAccess(caller.principal, row.team_id, 'read', 'Monitor');
    const days = await this.daily(orgId, 'monitor', [row], (w, r) => coversMonitor(w, r), query.days ?? slaDailyDefaultDays, this.now());
    return { days: days.get(row.id)! };
  }

  /** Daily uptime of a service over the last `days` UTC days, oldest first. */
  async serviceDaily(caller: Caller, id: string, query: { days?: number | undefined }): Promise<SlaDaily> {
    const orgId = caller.principal.orgId;
    const row = await this.repo.service(this.db, orgId, id);
    if (!row) throw notFound('Service');
    requireTeamAccess(caller.principal, row.team_id, 'read', 'Service');
    const days = await this.daily(orgId, 'service', [row], (w, r) => coversService(w, r), query.days ?? slaDailyDefaultDays, this.now());
    return { days: days.get(row.id)! };
  }

  /**
   * Daily uptime of several services of an organization (no principal: for public status pages,
   * whose configuration chose the services). Services of another organization are left out of the map.
   * Three queries whatever the number of services and days.
   */
  async dailyForServices(orgId: string, serviceIds: string[], days: number, now: Date = new Date(this.now())): Promise<Map<string, SlaDay[]>> {
    const rows = await this.repo.services(this.db, orgId, [...new Set(serviceIds)]);
    return this.daily(orgId, 'service', rows, (w, r) => coversService(w, r), days, now.getTime());
  }

  /** Per subject, its days from its own state transitions, its existence and the maintenance that covers it. */
  private async daily<R extends SlaNamedRow>(orgId: string, type: 'monitor' | 'service', rows: R[], covers: (w: MaintenanceWindowDoc, row: R) => boolean, count: number, now: number): Promise<Map<string, SlaDay[]>> {
    const out = new Map<string, SlaDay[]>();
    if (rows.length === 0) return out;
    const days = utcDays(Math.max(1, Math.min(365, Math.floor(count))), now);
    const range: Interval = { start: days[0]!.start, end: now };
    const [windows, transitions] = await Promise.all([
      this.repo.slaWindows(this.db, orgId, sorted(rows.map((r) => r.team_id))),
      this.repo.transitions(this.db, orgId, type, rows.map((r) => r.id), new Date(range.start), new Date(range.end)),
    ]);
    const points = new Map<string, TransitionPoint[]>();
    for (const t of transitions) {
      const list = points.get(t.subject_id) ?? [];
      list.push({ at: t.at.getTime(), to: t.to_state });
      points.set(t.subject_id, list);
    }
    for (const row of rows) {
      const time = account(row.created_at, range, excludedWindows(windows, (w) => covers(w, row), range));
      out.set(row.id, dailyFigures(dayLine('unknown', points.get(row.id) ?? [], range), time, days));
    }
    return out;
  }

  /** Incidents opened in the window that involve the service or team: count, resolved, open, mean MTTA and MTTR. */
  private async incidentsOf(orgId: string, subject: { serviceId: string } | { teamId: string }, window: SlaWindow): Promise<IncidentFigures> {
    return incidentFigures(await this.incidents.timesOf(this.db, orgId, subject, new Date(window.from), new Date(window.to)));
  }

  private header(type: SlaReport['subject']['type'], subject: { id: string; name: string }, window: SlaWindow, time: Accounting): Pick<SlaReport, 'subject' | 'window' | 'counted_seconds' | 'excluded_seconds' | 'excluded_windows'> {
    const existence = time.existence;
    return {
      subject: { type, id: subject.id, name: subject.name },
      window: { from: iso(window.from), to: iso(window.to), seconds: seconds(window.to - window.from), ...(window.label ? { label: window.label } : {}) },
      counted_seconds: seconds(measure(time.counted)),
      excluded_seconds: seconds(measure(time.excluded)),
      excluded_windows: time.windows
        .map((w) => ({ id: w.id, name: w.name, seconds: seconds(measure(intersect(w.spans, existence))) }))
        .filter((w) => w.seconds > 0)
        .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
    };
  }

  private async serviceFacts(orgId: string, services: SlaNamedRow[], windows: MaintenanceWindowDoc[], window: SlaWindow): Promise<ServiceFacts[]> {
    const range: Interval = { start: window.from, end: window.to };
    const monitorRows = await this.repo.monitorsOfServices(this.db, orgId, services.map((s) => s.id));
    const [monitors, transitions] = await Promise.all([
      this.monitorFacts(orgId, monitorRows, windows, window),
      this.repo.transitions(this.db, orgId, 'service', services.map((s) => s.id), new Date(window.from), new Date(window.to)),
    ]);
    const lines = timelineBySubject(transitions, range, (r) => r.subject_id);
    return services.map((row) => {
      const time = account(row.created_at, range, excludedWindows(windows, (w) => coversService(w, row), range));
      const own = monitors.filter((m) => m.row.service_id === row.id);
      const regions = sorted(own.flatMap((m) => m.regions));
      const line = lines.get(row.id) ?? never;
      // Per region the service is down while any of its monitors is down there (the worst of them),
      // and observed while any of them is observed there.
      const regionLines = new Map(regions.map((region) => [region, anyOf(own.map((m) => m.slots.get(region) ?? never))]));
      const regionFigures = new Map(regions.map((region) => [
        region,
        subjectFigures(regionLines.get(region)!, time.counted, addTotals(own.flatMap((m) => (m.totals.has(region) ? [m.totals.get(region)!] : [])))),
      ]));
      const figures = subjectFigures(line, time.counted, addTotals(own.flatMap((m) => [...m.totals.values()])));
      return { row, time, line, monitors: own, regions, figures, regionLines, regionFigures };
    });
  }

  private async monitorFacts(orgId: string, rows: SlaMonitorRow[], windows: MaintenanceWindowDoc[], window: SlaWindow): Promise<MonitorFacts[]> {
    const range: Interval = { start: window.from, end: window.to };
    const from = new Date(window.from);
    const to = new Date(window.to);
    const times = new Map(rows.map((row) => [row.id, account(row.created_at, range, excludedWindows(windows, (w) => coversMonitor(w, row), range))]));
    const exclusions = rows.flatMap((row) => times.get(row.id)!.excluded.map((span) => ({ monitorId: row.id, start: new Date(span.start), end: new Date(span.end) })));
    const ids = rows.map((r) => r.id);
    const [slots, overall, rollups] = await Promise.all([
      this.repo.transitions(this.db, orgId, 'slot', ids, from, to, new Map(rows.map((r) => [r.id, r.regions]))),
      this.repo.transitions(this.db, orgId, 'monitor', ids, from, to),
      this.repo.rollups(this.db, orgId, ids, resolutionFor(window), from, to, exclusions),
    ]);
    const slotKey = (monitorId: string, region: string) => `${monitorId}\u0000${region}`;
    const slotLines = timelineBySubject(slots, range, (r) => slotKey(r.subject_id, r.region ?? ''));
    const monitorLines = timelineBySubject(overall, range, (r) => r.subject_id);
    // Regions of a monitor: the configured ones and any that reported in the window.
    const seen = new Map<string, Set<string>>();
    const see = (monitorId: string, region: string | null) => {
      if (region) seen.set(monitorId, (seen.get(monitorId) ?? new Set()).add(region));
    };
    for (const s of slots) see(s.subject_id, s.region);
    for (const r of rollups) see(r.monitorId, r.region);
    return rows.map((row) => {
      const totals = new Map(rollups.filter((t) => t.monitorId === row.id).map((t) => [t.region, t as RollupTotals]));
      const regions = sorted([...row.regions, ...(seen.get(row.id) ?? [])]);
      return {
        row,
        time: times.get(row.id)!,
        line: monitorLines.get(row.id) ?? never,
        slots: new Map(regions.map((region) => [region, slotLines.get(slotKey(row.id, region)) ?? never])),
        totals,
        regions,
      };
    });
  }
}
