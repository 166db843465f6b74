import { createHash } from 'node:crypto';
import { notFound } from '../../contract/errors.ts';
import type { ComponentStatus, PublicIncident, StatusPageInput, StatusPageSummary, UptimeDay } from '../../contract/status-page.schema.ts';
import type { SlaDay } from '../../contract/sla.schema.ts';
import { requireTeamAccess, type Principal } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import { StatusPageSummaryRepository, type PageIncidentRow } from './status-page-summary.repository.ts';
import { componentStatus, daysBetween, incidentImpact, incidentTitle, overallStatus, pageMaintenance, publicIncidentId, publicIncidentState, uptimeDay, uptimeOver } from './status-page.logic.ts';

/** A stored status page as the summary needs it (what the status page repository returns). */
export interface StatusPageRecord {
  id: string;
  org_id: string;
  team_id: string;
  spec: StatusPageInput;
  updated_at: Date | string;
}

/** Finds stored status pages: by slug (any organization: public addresses carry none) and by id. */
export interface StatusPageLookup {
  findBySlug(db: Db, slug: string): Promise<StatusPageRecord | undefined>;
  get(db: Db, orgId: string, id: string): Promise<StatusPageRecord | undefined>;
}

/** Daily uptime of services, computed without a principal (the page's configuration chose them). */
export interface DailyUptime {
  dailyForServices(orgId: string, serviceIds: string[], days: number, now?: Date): Promise<Map<string, SlaDay[]>>;
}

export interface SummarySettings {
  /** How long a computed summary is served again (ms). */
  cacheMs: number;
  /** At most this many pages' summaries are kept. */
  cacheEntries: number;
}

/** A summary with the ETag of its JSON body. */
export interface ComputedSummary {
  summary: StatusPageSummary;
  etag: string;
}

const DEFAULT_HISTORY_DAYS = 90;
const OPEN_INCIDENTS_MAX = 50;
const RECENT_INCIDENTS_MAX = 20;
const NOTES_MAX = 500;

/**
 * What a status page shows: each component's status and daily uptime, the incidents touching its
 * services with their public notes only, and the maintenance covering them, under the names the page
 * declares. A summary is computed once per page and served again for `cacheMs` (a busy public page
 * costs the database one computation every few seconds); concurrent requests share one computation.
 */
export class StatusPageSummaryService {
  private readonly cache = new Map<string, { at: number; value: Promise<ComputedSummary> }>();

  constructor(
    private readonly db: Db,
    private readonly pages: StatusPageLookup,
    private readonly uptime: DailyUptime,
    private readonly settings: SummarySettings = { cacheMs: 10_000, cacheEntries: 500 },
    private readonly repo: StatusPageSummaryRepository = new StatusPageSummaryRepository(),
    private readonly clock: () => number = Date.now,
  ) {}

  /** The summary of a public page, or undefined when no public page has this slug (an internal page answers the same). */
  async publicSummary(slug: string): Promise<ComputedSummary | undefined> {
    const page = await this.pages.findBySlug(this.db, slug);
    if (!page || page.spec.visibility !== 'public') return undefined;
    return this.cached(page);
  }

  /** The summary of any page the principal may read (internal pages are shown only this way). */
  async summaryFor(principal: Principal, id: string): Promise<ComputedSummary> {
    const page = await this.pages.get(this.db, principal.orgId, id);
    if (!page) throw notFound('Status page');
    requireTeamAccess(principal, page.team_id, 'read', 'Status page');
    return this.cached(page);
  }

  private cached(page: StatusPageRecord): Promise<ComputedSummary> {
    const key = `${page.id}@${new Date(page.updated_at).getTime()}`;
    const now = this.clock();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.settings.cacheMs) return hit.value;
    const value = this.compute(page, now).then((summary) => ({ summary, etag: etagOf(summary) }));
    // A failed computation is not kept: the next request tries again.
    value.catch(() => this.cache.get(key)?.value === value && this.cache.delete(key));
    this.cache.delete(key);
    this.cache.set(key, { at: now, value });
    // Bounded: the oldest entries (Map keeps insertion order) go first; expired ones go on the way.
    for (const [k, v] of this.cache) {
      if (this.cache.size <= this.settings.cacheEntries && now - v.at < this.settings.cacheMs) break;
      if (k !== key) this.cache.delete(k);
    }
    return value;
  }

  private async compute(page: StatusPageRecord, now: number): Promise<StatusPageSummary> {
    const spec = page.spec;
    const historyDays = spec.history_days ?? DEFAULT_HISTORY_DAYS;
    const ids = spec.components.map((c) => c.service_id);
    const services = new Map((await this.repo.services(this.db, page.org_id, ids)).map((s) => [s.id, s]));
    const present = ids.filter((id) => services.has(id));
    const teams = [...new Set([...services.values()].map((s) => s.team_id))].sort();
    const [regions, windows, daily, open, resolved] = await Promise.all([
      this.repo.regionStates(this.db, page.org_id, present),
      this.repo.windows(this.db, page.org_id, teams),
      this.uptime.dailyForServices(page.org_id, present, historyDays, new Date(now)),
      this.repo.openIncidents(this.db, page.org_id, present, OPEN_INCIDENTS_MAX),
      this.repo.resolvedIncidents(this.db, page.org_id, present, new Date(now - historyDays * 86_400_000), RECENT_INCIDENTS_MAX),
    ]);
    const notes = await this.repo.publicNotes(this.db, page.org_id, [...open, ...resolved].map((i) => i.id), NOTES_MAX);

    // A component whose service was deleted stays on the page (the page declares it) with no data.
    const maintenance = pageMaintenance(windows, spec.components.map((c) => ({ id: c.service_id, team_id: services.get(c.service_id)?.team_id ?? '' })), now);
    const components = spec.components.map((c, i) => {
      const service = services.get(c.service_id);
      const days: UptimeDay[] = (daily.get(c.service_id) ?? []).map(uptimeDay);
      const status = componentStatus({
        state: service?.state,
        regions: regions.filter((r) => r.service_id === c.service_id),
        inMaintenance: maintenance.some((m) => m.in_progress && m.components.includes(i)),
      });
      return { spec: c, status, days, uptime_ratio: uptimeOver(daily.get(c.service_id) ?? []) };
    });

    const groups: StatusPageSummary['groups'] = [];
    for (const c of components) {
      const name = c.spec.group ?? null;
      let group = groups.find((g) => g.name === name);
      if (!group) groups.push((group = { name, components: [] }));
      group.components.push({ name: c.spec.display_name, description: c.spec.description ?? null, status: c.status, uptime_ratio: c.uptime_ratio, days: c.days });
    }

    const publicIncident = (row: PageIncidentRow): PublicIncident => {
      const touched = components.filter((c) => row.service_ids.includes(c.spec.service_id));
      const during = new Set(daysBetween(row.first_failure_at.getTime(), row.resolved_at?.getTime() ?? now));
      const dayStatuses: ComponentStatus[] = touched.flatMap((c) => c.days.filter((d) => during.has(d.date)).map((d) => d.status));
      const impact = incidentImpact(row.resolved_at ? [] : touched.map((c) => c.status), dayStatuses);
      const names = touched.map((c) => c.spec.display_name);
      return {
        id: publicIncidentId(page.id, row.id),
        title: incidentTitle(impact, names),
        state: publicIncidentState(row.state),
        impact,
        components: names,
        started_at: row.first_failure_at.toISOString(),
        resolved_at: row.resolved_at?.toISOString() ?? null,
        updates: notes.filter((n) => n.incident_id === row.id).map((n) => ({ at: n.at.toISOString(), text: n.text })),
      };
    };

    return {
      page: { title: spec.title, slug: spec.slug, custom_text: spec.custom_text ?? null, history_days: historyDays, updated_at: new Date(now).toISOString() },
      status: overallStatus(components.map((c) => c.status)),
      groups,
      incidents: { open: open.map(publicIncident), recent: resolved.map(publicIncident) },
      maintenance: maintenance.map((m) => ({ starts_at: m.starts_at, ends_at: m.ends_at, components: m.components.map((i) => spec.components[i]!.display_name), in_progress: m.in_progress })),
    };
  }
}

/** A strong ETag of the summary's JSON body. */
function etagOf(summary: StatusPageSummary): string {
  return `"${createHash('sha256').update(JSON.stringify(summary)).digest('base64url').slice(0, 27)}"`;
}
