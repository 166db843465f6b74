import { createHash } from 'node:crypto';
import type { ComponentStatus, PublicIncident, UptimeDay } from '../../contract/status-page.schema.ts';
import type { SlaDay } from '../../contract/sla.schema.ts';
import type { State } from '../../contract/state.schema.ts';
import { expandWindow, type MaintenanceWindowDoc } from '../sla/maintenance.expand.ts';

// Pure: how a status page turns monitoring state into what its readers see. No I/O, table-tested in
// api/test/status-page-logic.test.ts.

/** How bad a component status is, for "the worst of": unknown ranks below every observed trouble. */
const rank: Record<ComponentStatus, number> = { operational: 0, unknown: 1, under_maintenance: 2, degraded_performance: 3, partial_outage: 4, major_outage: 5 };

/** The worst of several statuses; operational when there are none. */
export function worstStatus(statuses: readonly ComponentStatus[]): ComponentStatus {
  return statuses.reduce<ComponentStatus>((worst, s) => (rank[s] > rank[worst] ? s : worst), 'operational');
}

/** What the page knows of a service now: its state, the states of its monitors' regions, and whether a maintenance window covers it. */
export interface ServiceNow {
  /** The service's state (the worst of its enabled monitors); undefined when it has none yet. */
  state: State | undefined;
  /** The region states of the service's enabled monitors that have a state. */
  regions: ReadonlyArray<{ region: string; state: State }>;
  inMaintenance: boolean;
}

/**
 * A service's state as a component status. A maintenance window in force wins (the team said it is
 * working on it); up → operational, degraded → degraded_performance; down → major_outage when it is
 * down in every region that reports (a region is down when one of the service's monitors is down
 * there, as the service is as bad as its worst monitor), partial_outage when some regions still
 * answer; unknown or no data → unknown.
 */
export function componentStatus(s: ServiceNow): ComponentStatus {
  if (s.inMaintenance) return 'under_maintenance';
  switch (s.state) {
    case 'up':
      return 'operational';
    case 'degraded':
      return 'degraded_performance';
    case 'down': {
      const known = new Set(s.regions.filter((r) => r.state !== 'unknown').map((r) => r.region));
      const down = new Set(s.regions.filter((r) => r.state === 'down').map((r) => r.region));
      return down.size > 0 && down.size < known.size ? 'partial_outage' : 'major_outage';
    }
    default:
      return 'unknown';
  }
}

const descriptions: Record<ComponentStatus, string> = {
  operational: 'All systems operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
  unknown: 'Status unknown',
};

/**
 * The page's overall indicator: the worst component. A page whose components all have no data says
 * so instead of claiming all is well; some unknown among operational ones does not spoil the banner.
 */
export function overallStatus(components: readonly ComponentStatus[]): { indicator: ComponentStatus; description: string } {
  const known = components.filter((c) => c !== 'unknown');
  const indicator = components.length > 0 && known.length === 0 ? 'unknown' : worstStatus(known);
  return { indicator, description: descriptions[indicator] };
}

/** Below this share of the day up, a day with downtime is a major outage on the bar; above it, a partial one. */
export const MAJOR_DAY_RATIO = 0.95;

/**
 * A day of the uptime bar from the service's SLA day: nothing observed but maintenance → under
 * maintenance; nothing observed → unknown; down at some point → partial outage, or major when more
 * than 5 % of the observed time was down; degraded → degraded performance; else operational.
 */
export function dayStatus(d: Pick<SlaDay, 'uptime_ratio' | 'observed_seconds' | 'maintenance_seconds' | 'worst_state' | 'downtime_seconds'>): ComponentStatus {
  if (d.observed_seconds <= 0 || d.uptime_ratio === null) return d.maintenance_seconds > 0 ? 'under_maintenance' : 'unknown';
  if (d.worst_state === 'down' || d.downtime_seconds > 0) return d.uptime_ratio < MAJOR_DAY_RATIO ? 'major_outage' : 'partial_outage';
  if (d.worst_state === 'degraded') return 'degraded_performance';
  return 'operational';
}

/** A day of the bar as the page publishes it (no observed or maintenance seconds). */
export function uptimeDay(d: SlaDay): UptimeDay {
  return { date: d.date, uptime_ratio: d.uptime_ratio, status: dayStatus(d), downtime_seconds: d.downtime_seconds };
}

/** Uptime over several days: observed time not down over observed time; null when nothing was observed. */
export function uptimeOver(days: ReadonlyArray<Pick<SlaDay, 'observed_seconds' | 'downtime_seconds'>>): number | null {
  let observed = 0;
  let down = 0;
  for (const d of days) {
    observed += d.observed_seconds;
    down += d.downtime_seconds;
  }
  return observed > 0 ? Math.max(0, Math.min(1, (observed - down) / observed)) : null;
}

const titlePrefix: Partial<Record<ComponentStatus, string>> = {
  major_outage: 'Outage',
  partial_outage: 'Partial outage',
  degraded_performance: 'Degraded performance',
  under_maintenance: 'Maintenance',
};

/** At most this many component names in an incident's title; the rest are counted. */
export const TITLE_NAMES = 3;

/**
 * An incident's public title, from the display names of the page's components it affects and its
 * impact only ("Outage: Checkout, Payments"); never from the incident's internal title.
 */
export function incidentTitle(impact: ComponentStatus, components: readonly string[]): string {
  const prefix = titlePrefix[impact] ?? 'Incident';
  if (components.length === 0) return prefix;
  const shown = components.slice(0, TITLE_NAMES).join(', ');
  const rest = components.length - TITLE_NAMES;
  return `${prefix}: ${shown}${rest > 0 ? ` and ${rest} more` : ''}`;
}

/**
 * An incident's impact on the page. While it is open: the worst status its components have now; when
 * they look fine now (it is recovering), or once it is resolved, the worst of their day bars over its
 * days. An incident always means something was wrong, so one whose components looked fine on the page
 * counts as degraded performance.
 */
export function incidentImpact(now: readonly ComponentStatus[], during: readonly ComponentStatus[]): ComponentStatus {
  const trouble = (statuses: readonly ComponentStatus[]) => worstStatus(statuses.filter((s) => s !== 'unknown' && s !== 'under_maintenance'));
  const current = trouble(now);
  const worst = current === 'operational' ? trouble(during) : current;
  return worst === 'operational' ? 'degraded_performance' : worst;
}

/**
 * The public reference of an incident on one page: a hash of the page's id and the incident's id, so
 * it is stable across requests, differs between pages and reveals neither the internal id nor the
 * incident's number (which would tell how many incidents the organization has had).
 */
export function publicIncidentId(pageId: string, incidentId: string): string {
  return `inc_${createHash('sha256').update(`status-page:${pageId}:incident:${incidentId}`).digest('base64url').slice(0, 16)}`;
}

/** An incident's state as the page shows it (the same four words as the API; anything else reads as investigating). */
export function publicIncidentState(state: string): PublicIncident['state'] {
  return state === 'identified' || state === 'monitoring' || state === 'resolved' ? state : 'investigating';
}

/** The UTC days (YYYY-MM-DD) an interval touches, for picking an incident's bar days. */
export function daysBetween(startMs: number, endMs: number, limit = 400): string[] {
  const out: string[] = [];
  const first = Date.UTC(new Date(startMs).getUTCFullYear(), new Date(startMs).getUTCMonth(), new Date(startMs).getUTCDate());
  for (let t = first; t <= endMs && out.length < limit; t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** A maintenance window as the page needs it (its name is internal and never shown). */
export interface PageWindow extends Pick<MaintenanceWindowDoc, 'starts_at' | 'ends_at' | 'recurrence' | 'service_ids' | 'monitor_ids'> {
  team_id: string;
}

/**
 * Whether a window puts a service under maintenance on a page: it names the service, or it names
 * nothing and so covers its whole team. A window naming only some monitors leaves the service as its
 * monitors show it. Whether the window excludes time from SLA does not matter here.
 */
export function windowCovers(w: PageWindow, service: { id: string; team_id: string }): boolean {
  const services = w.service_ids ?? [];
  if (services.length === 0 && (w.monitor_ids ?? []).length === 0) return w.team_id === service.team_id;
  return services.includes(service.id);
}

/** How far ahead the page announces maintenance. */
export const MAINTENANCE_AHEAD_MS = 7 * 86_400_000;
/** At most this many maintenance spans on a page (a window recurring every few minutes stays readable). */
export const MAINTENANCE_MAX = 20;

export interface MaintenanceSpan {
  starts_at: string;
  ends_at: string;
  /** Indexes of the page's components it covers, in page order. */
  components: number[];
  in_progress: boolean;
}

/**
 * The maintenance a page announces: each span of a window in progress at `now` or starting within 7
 * days, with the page's components it covers; spans of windows covering no component are left out.
 * Soonest first, at most MAINTENANCE_MAX.
 */
export function pageMaintenance(windows: readonly PageWindow[], components: ReadonlyArray<{ id: string; team_id: string }>, now: number): MaintenanceSpan[] {
  const out: MaintenanceSpan[] = [];
  for (const w of windows) {
    const covered = components.flatMap((c, i) => (windowCovers(w, c) ? [i] : []));
    if (covered.length === 0) continue;
    const spans = w.recurrence
      ? expandWindow(w, { start: now - MAINTENANCE_AHEAD_MS, end: now + 2 * MAINTENANCE_AHEAD_MS }, 5_000)
      : [{ start: Date.parse(w.starts_at), end: Date.parse(w.ends_at) }];
    for (const s of spans) {
      if (!(s.end > now) || !(s.start < now + MAINTENANCE_AHEAD_MS)) continue;
      out.push({ starts_at: new Date(s.start).toISOString(), ends_at: new Date(s.end).toISOString(), components: covered, in_progress: s.start <= now });
    }
  }
  return out.sort((a, b) => a.starts_at.localeCompare(b.starts_at)).slice(0, MAINTENANCE_MAX);
}
