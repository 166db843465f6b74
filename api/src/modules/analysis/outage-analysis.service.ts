import { PharosError, notFound } from '../../contract/errors.ts';
import { OUTAGE_WINDOW_MAX_DAYS, weekdays, type OutageAnalysis, type OutageAnalysisQuery, type OutageFigures, type OutageRecord } from '../../contract/outage-analysis.schema.ts';
import { requireTeamAccess } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import { ChangeEventRepository } from '../change-events/change-event.repository.ts';
import type { Caller } from '../resources/spec.service.ts';
import {
  analyzeOutages, concentrationFinding, outageFindings, summarize, type AnalyzedOutage, type ChangePoint, type FailureCodeCount, type RootCauseCount,
} from './outage-analysis.math.ts';
import { OUTAGE_LIMIT, OutageAnalysisRepository, type Ranked, type ServiceRow } from './outage-analysis.repository.ts';

const DAY = 86_400_000;
const MINUTE = 60_000;
/** Outages listed one by one in the answer (the figures cover all of them). */
const LISTED = 100;

const invalid = (pointer: string, message: string) => new PharosError('validation_failed', `${pointer}: ${message}`, [{ pointer, message }]);
const seconds = (ms: number) => Math.round(ms) / 1000;
const secondsOrNull = (ms: number | null) => (ms === null ? null : seconds(ms));

/** Days of a window like "90d", 1 to 365. */
function windowDays(window: string | undefined): number {
  const text = window ?? '90d';
  const days = /^([0-9]{1,3})d$/.exec(text) ? Number(text.slice(0, -1)) : Number.NaN;
  if (!(days >= 1 && days <= OUTAGE_WINDOW_MAX_DAYS)) throw invalid('/window', `"${text}" is not a window from 1d to ${OUTAGE_WINDOW_MAX_DAYS}d; pass e.g. window=90d.`);
  return days;
}

interface Extras {
  failureCodes: FailureCodeCount[];
  rootCauses: RootCauseCount[];
  rootCauseIncidents: number;
}

function pick<T>(ranked: ReadonlyArray<Ranked<T>>, serviceId: string | null): T[] {
  return ranked.filter((r) => r.serviceId === serviceId).map((r) => r.item);
}

/**
 * The outage history of a service or of a team's services: when outages begin (hour of week,
 * weekday), whether they follow change events, where (regions), how long they last, what the
 * checks said and what incidents named as the root cause, with the findings the figures support.
 * Callers need read access to the service's (or the team's) team; anything else is "not found".
 */
export class OutageAnalysisService {
  constructor(
    private readonly db: Db,
    private readonly repo: OutageAnalysisRepository = new OutageAnalysisRepository(),
    private readonly changes: ChangeEventRepository = new ChangeEventRepository(),
    private readonly now: () => number = Date.now,
  ) {}

  async analyze(caller: Caller, q: OutageAnalysisQuery): Promise<OutageAnalysis> {
    if ((q.service === undefined) === (q.team === undefined)) throw invalid('/service', 'Pass either service=<service id> or team=<team id> (one of them, not both).');
    const days = windowDays(q.window);
    const afterChangeMinutes = q.after_change_minutes ?? 30;
    const orgId = caller.principal.orgId;
    const now = this.now();
    const from = new Date(now - days * DAY);
    const to = new Date(now);

    let subject: OutageAnalysis['subject'];
    let services: ServiceRow[];
    if (q.service !== undefined) {
      const service = await this.repo.service(this.db, orgId, q.service);
      if (!service) throw notFound('Service');
      requireTeamAccess(caller.principal, service.team_id, 'read', 'Service');
      subject = { type: 'service', id: service.id, name: service.name };
      services = [service];
    } else {
      const team = await this.repo.team(this.db, orgId, q.team!);
      if (!team) throw notFound('Team');
      requireTeamAccess(caller.principal, team.id, 'read', 'Team');
      subject = { type: 'team', id: team.id, name: team.name };
      services = await this.repo.servicesOfTeam(this.db, orgId, team.id);
    }
    const ids = services.map((s) => s.id);

    const afterChangeMs = afterChangeMinutes * MINUTE;
    const [periods, regionDowns, changeRows, rootCauses] = await Promise.all([
      this.repo.outages(this.db, orgId, ids, from, to, OUTAGE_LIMIT + 1),
      this.repo.regionDowns(this.db, orgId, ids, from, to),
      this.changes.near(this.db, orgId, ids, new Date(from.getTime() - afterChangeMs), to),
      this.repo.rootCauses(this.db, orgId, ids, from, to),
    ]);
    const truncated = periods.length > OUTAGE_LIMIT;
    const kept = truncated ? periods.slice(0, OUTAGE_LIMIT) : periods;
    // The failure codes of the outages kept (all of them unless truncated: then the newest).
    const since = kept.length ? new Date(kept[kept.length - 1]!.start) : to;
    const failureCodes = kept.length ? await this.repo.failureCodes(this.db, orgId, ids, since, to) : [];
    const changes: ChangePoint[] = changeRows.map((c) => ({ id: c.id, serviceId: c.service_id, kind: c.kind, at: c.at.getTime(), version: c.version }));
    const outages = analyzeOutages(kept, regionDowns, changes, now, afterChangeMs);

    const extrasOf = (serviceId: string | null): Extras => ({
      failureCodes: pick(failureCodes, serviceId),
      rootCauses: pick(rootCauses, serviceId),
      rootCauseIncidents: rootCauses.find((r) => r.serviceId === serviceId)?.total ?? 0,
    });
    const figures = (list: readonly AnalyzedOutage[], extras: Extras): OutageFigures => this.figures(list, extras, days, afterChangeMinutes);
    const names = new Map(services.map((s) => [s.id, s.name]));
    const listed: OutageRecord[] = outages.slice(0, LISTED).map((o) => ({
      service_id: o.serviceId,
      service_name: names.get(o.serviceId) ?? o.serviceId,
      started_at: new Date(o.start).toISOString(),
      ended_at: o.end === null ? null : new Date(o.end).toISOString(),
      duration_seconds: seconds(o.durationMs),
      regions: o.regions,
      after_change: o.change && { id: o.change.id, kind: o.change.kind, at: new Date(o.change.at).toISOString(), ...(o.change.version !== null ? { version: o.change.version } : {}), minutes_before: Math.round((o.start - o.change.at) / 600) / 100 },
    }));
    const window = { from: from.toISOString(), to: to.toISOString(), days };

    if (subject.type === 'service') {
      return { subject, window, ...figures(outages, extrasOf(subject.id)), outages: listed, truncated };
    }
    const perService = services.map((s) => ({ id: s.id, name: s.name, ...figures(outages.filter((o) => o.serviceId === s.id), extrasOf(s.id)) }));
    const total = figures(outages, extrasOf(null));
    const concentration = concentrationFinding(perService, total.count);
    const findings = [
      ...(concentration ? [concentration] : []),
      ...total.findings,
      ...perService.filter((s) => s.count > 0).flatMap((s) => s.findings.map((f) => `${s.name}: ${f}`)),
    ];
    return { subject, window, ...total, findings, services: perService, outages: listed, truncated };
  }

  private figures(outages: readonly AnalyzedOutage[], extras: Extras, days: number, afterChangeMinutes: number): OutageFigures {
    const s = summarize(outages);
    return {
      count: s.count,
      ongoing: s.ongoing,
      total_seconds: seconds(s.totalMs),
      median_seconds: secondsOrNull(s.medianMs),
      p90_seconds: secondsOrNull(s.p90Ms),
      longest_seconds: secondsOrNull(s.longestMs),
      by_weekday: weekdays.map((weekday, i) => ({ weekday, count: s.byWeekday[i]! })),
      by_hour_of_week: { weekdays: [...weekdays], counts: s.byHourOfWeek },
      after_change: { minutes: afterChangeMinutes, count: s.afterChange.count, share_percent: s.afterChange.sharePercent, kinds: s.afterChange.kinds },
      by_region: s.byRegion.map((r) => ({ region: r.region, count: r.count, share_percent: r.sharePercent })),
      failure_codes: extras.failureCodes.map((f) => ({ error_code: f.errorCode, status_code: f.statusCode, outages: f.outages, checks: f.checks })),
      root_causes: extras.rootCauses,
      findings: outageFindings({ summary: s, windowDays: days, afterChangeMinutes, ...extras }),
    };
  }
}
