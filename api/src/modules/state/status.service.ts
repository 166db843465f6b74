import { PharosError, notFound } from '../../contract/errors.ts';
import type { SlotCause, State } from '../../contract/state.schema.ts';
import { requireTeamAccess, visibleTeamIds, type Principal } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import { decodeCursor, encodeCursor } from '../../http/cursor.ts';
import { groupBy } from '../../shared/group-by.ts';
import { monitorSpec } from '../monitors/monitor-spec.ts';
import type { ResultRepository } from '../results/result.repository.ts';
import { iso } from '../resources/versioning.ts';
import { StatusRepository } from './status.repository.ts';

type SlotRow = { monitor_id: string; region: string; state: string; since: Date | string; failures: number; successes: number; last_result_at: Date | string | null; last_error: string | null; cause: string | null };

const regionState = (s: SlotRow, owner: string | undefined) => ({
  region: s.region,
  state: s.state as State,
  since: iso(s.since)!,
  consecutive_failures: s.failures,
  consecutive_successes: s.successes,
  ...(s.last_result_at ? { last_result_at: iso(s.last_result_at) } : {}),
  ...(s.last_error ? { last_error: s.last_error } : {}),
  ...(owner ? { runner_id: owner } : {}),
  ...(s.cause ? { cause: s.cause as SlotCause } : {}),
});

/** Read side of monitoring state: per monitor, per region, the status board, results and transitions. */
export class StatusService {
  constructor(
    private readonly db: Db,
    private readonly results: ResultRepository,
    private readonly repo: StatusRepository = new StatusRepository(),
  ) {}

  private async monitor(p: Principal, id: string) {
    const m = await this.repo.monitor(this.db, p.orgId, id);
    if (!m) throw notFound('Monitor');
    requireTeamAccess(p, m.team_id, 'read', 'Monitor');
    return m;
  }

  async monitorState(p: Principal, id: string) {
    const m = await this.monitor(p, id);
    const spec = monitorSpec(m.spec);
    const { state, slots, owners } = await this.repo.monitorState(this.db, id);
    const ownerOf = new Map(owners.map((o) => [o.region, o.runner_id]));
    return {
      monitor_id: id,
      state: (state?.state ?? 'unknown') as State,
      ...(state ? { since: iso(state.since) } : {}),
      regions_down: state?.regions_down ?? 0,
      min_failed_regions: spec.minFailedRegions,
      regions: slots.map((s) => regionState(s, ownerOf.get(s.region))),
    };
  }

  /**
   * The status board: services by name with their monitors, and the edges of those services. With
   * `page.limit`, one page of services after the cursor (the edges of that page's services), with
   * next_cursor while more follow; the summaries always count the whole board.
   */
  async status(p: Principal, teamId: string | undefined, page: { limit?: number | undefined; cursor?: string | undefined } = {}) {
    const teams = visibleTeamIds(p);
    const none = () => ({ up: 0, degraded: 0, down: 0, unknown: 0 });
    if (teams && teams.length === 0) return { generated_at: new Date().toISOString(), summary: none(), services: [], edge_summary: none(), edges: [] };
    const paged = page.limit !== undefined;
    const fetched = await this.repo.services(this.db, p.orgId, { teams, teamId, after: decodeCursor(page.cursor), limit: paged ? page.limit! + 1 : undefined });
    const more = paged && fetched.length > page.limit!;
    const services = more ? fetched.slice(0, page.limit) : fetched;
    const serviceIds = services.map((s) => s.id);
    // An edge belongs to its dependent service's team, so its monitors are among those of the services shown.
    const edges = await this.repo.edges(this.db, p.orgId, { teams, teamId, serviceIds: paged || page.cursor !== undefined ? serviceIds : undefined });
    const monitors = await this.repo.monitorsOfServices(this.db, serviceIds);
    // Grouped once: filtering the whole list per service and per monitor grows with the square of the board.
    const slotsOf = groupBy(await this.repo.slotsOfServices(this.db, serviceIds), (r) => r.monitor_id);
    const present = (m: (typeof monitors)[number]) => ({
      id: m.id, name: m.name, type: m.type ?? '', enabled: monitorSpec(m.spec).enabled,
      state: (m.state ?? 'unknown') as State, ...(m.since ? { since: iso(m.since) } : {}),
      regions: (slotsOf.get(m.id) ?? []).map((r) => regionState(r, undefined)),
    });
    const monitorsOf = groupBy(monitors.filter((m) => m.service_id), (m) => m.service_id!);
    const counted = (rows: Array<{ state: string; n: string | number | bigint }>) => {
      const counts: Record<State, number> = none();
      for (const r of rows) counts[r.state as State] += Number(r.n);
      return counts;
    };
    const summary: Record<State, number> = paged ? counted(await this.repo.serviceCounts(this.db, p.orgId, { teams, teamId })) : none();
    const body = services.map((s) => {
      const state = (s.state ?? 'unknown') as State;
      if (!paged) summary[state] += 1;
      return {
        id: s.id, name: s.name, team_id: s.team_id, kind: s.type ?? 'internal', state, ...(s.since ? { since: iso(s.since) } : {}),
        monitors: (monitorsOf.get(s.id) ?? []).map(present),
      };
    });
    const ofEdge = groupBy(monitors.filter((m) => m.dependency_id), (m) => m.dependency_id!);
    const edgeSummary: Record<State, number> = paged ? counted(await this.repo.edgeCounts(this.db, p.orgId, { teams, teamId })) : none();
    const edgeBody = edges.map((e) => {
      const state = (e.state ?? 'unknown') as State;
      if (!paged) edgeSummary[state] += 1;
      return {
        id: e.id, service_id: e.service_id, service: e.service, depends_on_service_id: e.depends_on_service_id, depends_on: e.depends_on, team_id: e.team_id,
        state, ...(e.since ? { since: iso(e.since) } : {}),
        monitors: (ofEdge.get(e.id) ?? []).map(present),
      };
    });
    const last = services.at(-1);
    return { generated_at: new Date().toISOString(), summary, services: body, edge_summary: edgeSummary, edges: edgeBody, ...(more && last ? { next_cursor: encodeCursor(last.name) } : {}) };
  }

  async resultPage(p: Principal, id: string, q: { region?: string | undefined; from?: string | undefined; to?: string | undefined; status?: string | undefined; limit?: number | undefined; cursor?: string | undefined }) {
    await this.monitor(p, id);
    const limit = q.limit ?? 50;
    const cursor = decodeCursor(q.cursor);
    let before: { at: string; id: string } | undefined;
    if (cursor) {
      const [at, rid] = cursor.split('|');
      if (!at || !rid || Number.isNaN(Date.parse(at))) throw new PharosError('bad_request', 'The cursor is not valid; pass next_cursor unchanged.');
      before = { at, id: rid };
    }
    const statuses = q.status ? [...new Set(q.status.split(','))] : undefined;
    const rows = await this.results.page(this.db, p.orgId, id, { region: q.region, from: q.from, to: q.to, statuses, before, limit });
    const more = rows.length > limit;
    const items = rows.slice(0, limit).map((r) => {
      const d = (r.detail ?? {}) as Record<string, unknown>;
      return {
        id: r.id, monitor_id: r.monitor_id, region: r.region, started_at: iso(r.started_at), status: r.status, duration_ms: r.duration_ms,
        ...(r.status_code !== null ? { status_code: r.status_code } : {}), ...d, ...(r.trace_id ? { trace_id: r.trace_id } : {}),
        ...(r.confirmation ? { confirmation: true } : {}), ...(r.runner_id ? { runner_id: r.runner_id } : {}), received_at: iso(r.received_at),
      };
    });
    const last = rows[limit - 1];
    return more && last ? { items, next_cursor: encodeCursor(`${iso(last.started_at)}|${last.id}`) } : { items };
  }

  async transitions(p: Principal, id: string, q: { limit?: number | undefined; cursor?: string | undefined }) {
    await this.monitor(p, id);
    const limit = q.limit ?? 50;
    const rows = await this.repo.transitions(this.db, p.orgId, id, { beforeId: decodeCursor(q.cursor), limit: limit + 1 });
    const items = rows.slice(0, limit).map((t) => ({
      id: t.id, subject_type: t.subject_type, subject_id: t.subject_id, ...(t.region ? { region: t.region } : {}), from: t.from_state, to: t.to_state, at: iso(t.at),
      ...(t.cause ? { cause: t.cause } : {}),
    }));
    return rows.length > limit ? { items, next_cursor: encodeCursor(rows[limit - 1]!.id) } : { items };
  }
}
