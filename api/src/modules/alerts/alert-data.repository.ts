import { sql } from 'kysely';
import type { SubjectKind } from '../../contract/alert-expression/subject-kinds.ts';
import type { State } from '../../contract/state.schema.ts';
import type { Db } from '../../db/database.ts';
import { anyOf } from '../../db/any-of.ts';

/** A subject an alert rule can be about, with what its labels need. */
export interface SubjectRow {
  kind: SubjectKind;
  id: string;
  name: string;
  service_id: string | null;
  service_name: string | null;
  /** The subject's tags (a monitor's over its service's; an edge's: its dependent service's): alert labels that routing can match. */
  tags: Record<string, string>;
  /** An edge's target service: the one its dependent service (service_id) depends on. */
  depends_on_id?: string;
  depends_on_name?: string;
}

type TagColumns = { service_tags?: unknown; monitor_tags?: unknown; tags?: unknown };
const tagMap = (v: unknown): Record<string, string> => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string> : {});
const tagsOf = (r: TagColumns) => ({ ...tagMap(r.service_tags), ...tagMap(r.monitor_tags), ...tagMap(r.tags) });

/** The subject kinds with a stored overall state (monitor_states, service_states, edge_states). */
export type StatefulKind = 'monitor' | 'service' | 'edge';

/** One minute of a subject's latency: the histogram summed over the selected monitors and regions. */
export interface MinuteHistogram {
  at: number;
  checks: number;
  maxMs: number;
  histogram: number[];
}

const parseIntArray = (v: Array<number | string> | string): number[] => (typeof v === 'string' ? v.replace(/[{}]/g, '').split(',').filter(Boolean) : v).map(Number);

/** SQL the alert evaluator reads besides the SLA, state and metric repositories: names, selectors, latest results, latency history. */
export class AlertDataRepository {
  /** The team's subject of a kind by name (a monitor optionally of a named service; an edge by its dependent service and `dependsOn`). */
  async subjectByName(db: Db, orgId: string, teamId: string, kind: SubjectKind, name: string, service?: string, dependsOn?: string): Promise<SubjectRow | undefined> {
    if (kind === 'edge') return dependsOn === undefined ? undefined : this.edgeByNames(db, orgId, teamId, name, dependsOn);
    if (kind === 'monitor') {
      let q = db
        .selectFrom('monitors')
        .innerJoin('services', (j) => j.onRef('services.id', '=', 'monitors.service_id').onRef('services.org_id', '=', 'monitors.org_id'))
        .select(['monitors.id', 'monitors.name', 'monitors.service_id', 'services.name as service_name', sql<unknown>`services.spec -> 'tags'`.as('service_tags'), sql<unknown>`monitors.spec -> 'tags'`.as('monitor_tags')])
        .where('monitors.org_id', '=', orgId)
        .where('monitors.team_id', '=', teamId)
        .where('monitors.name', '=', name);
      if (service !== undefined) q = q.where('services.name', '=', service);
      const rows = await q.limit(2).execute();
      const [r] = rows;
      return rows.length === 1 && r ? { kind, id: r.id, name: r.name, service_id: r.service_id, service_name: r.service_name, tags: tagsOf(r) } : undefined;
    }
    const table = kind === 'service' ? 'services' : 'slos';
    const row = await db.selectFrom(table).select(['id', 'name', sql<unknown>`spec -> 'tags'`.as('tags')]).where('org_id', '=', orgId).where('team_id', '=', teamId).where('name', '=', name).executeTakeFirst();
    return row ? { kind, id: row.id, name: row.name, service_id: kind === 'service' ? row.id : null, service_name: kind === 'service' ? row.name : null, tags: tagsOf(row) } : undefined;
  }

  /** The team's dependency edge from service `from` (of the team) to service `to` (of any team); an edge belongs to its dependent service's team. */
  async edgeByNames(db: Db, orgId: string, teamId: string, from: string, to: string): Promise<SubjectRow | undefined> {
    const row = await db
      .selectFrom('dependencies as d')
      .innerJoin('services as s', (j) => j.onRef('s.id', '=', 'd.service_id').onRef('s.org_id', '=', 'd.org_id'))
      .innerJoin('services as t', (j) => j.onRef('t.id', '=', 'd.depends_on_service_id').onRef('t.org_id', '=', 'd.org_id'))
      .select(['d.id', 's.id as service_id', 's.name as service_name', 't.id as depends_on_id', 't.name as depends_on_name', sql<unknown>`s.spec -> 'tags'`.as('tags')])
      .where('d.org_id', '=', orgId)
      .where('d.team_id', '=', teamId)
      .where('s.name', '=', from)
      .where('t.name', '=', to)
      .executeTakeFirst();
    return row ? { kind: 'edge', id: row.id, name: `${row.service_name} → ${row.depends_on_name}`, service_id: row.service_id, service_name: row.service_name, depends_on_id: row.depends_on_id, depends_on_name: row.depends_on_name, tags: tagsOf(row) } : undefined;
  }

  /** The team's dependency edges matching an edges(…) selector's filters (among `ids` when given), by dependent and target name. */
  async selectEdges(db: Db, orgId: string, teamId: string, filters: Readonly<Record<string, string>>, ids?: readonly string[]): Promise<SubjectRow[]> {
    if (ids && ids.length === 0) return [];
    let q = db
      .selectFrom('dependencies as d')
      .innerJoin('services as s', (j) => j.onRef('s.id', '=', 'd.service_id').onRef('s.org_id', '=', 'd.org_id'))
      .innerJoin('services as t', (j) => j.onRef('t.id', '=', 'd.depends_on_service_id').onRef('t.org_id', '=', 'd.org_id'))
      .select(['d.id', 's.id as service_id', 's.name as service_name', 't.id as depends_on_id', 't.name as depends_on_name', sql<unknown>`s.spec -> 'tags'`.as('tags')])
      .where('d.org_id', '=', orgId)
      .where('d.team_id', '=', teamId);
    if (ids) q = q.where('d.id', '=', anyOf(ids));
    if (filters.from !== undefined) q = q.where('s.name', '=', filters.from);
    if (filters.to !== undefined) q = q.where('t.name', '=', filters.to);
    const rows = await q.orderBy('s.name').orderBy('t.name').orderBy('d.id').execute();
    return rows.map((r) => ({ kind: 'edge', id: r.id, name: `${r.service_name} → ${r.depends_on_name}`, service_id: r.service_id, service_name: r.service_name, depends_on_id: r.depends_on_id, depends_on_name: r.depends_on_name, tags: tagsOf(r) }));
  }

  /** The monitors that check a dependency edge (monitors.dependency_id), in id order. */
  async monitorIdsOfEdge(db: Db, orgId: string, dependencyId: string): Promise<string[]> {
    const rows = await db.selectFrom('monitors').select('id').where('org_id', '=', orgId).where('dependency_id', '=', dependencyId).orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  /** The team's monitors matching a monitors(…) selector's filters (among `ids` when given), by name. */
  async selectMonitors(db: Db, orgId: string, teamId: string, filters: Readonly<Record<string, string>>, ids?: readonly string[]): Promise<SubjectRow[]> {
    if (ids && ids.length === 0) return [];
    let q = db
      .selectFrom('monitors')
      .innerJoin('services', (j) => j.onRef('services.id', '=', 'monitors.service_id').onRef('services.org_id', '=', 'monitors.org_id'))
      .select(['monitors.id', 'monitors.name', 'monitors.service_id', 'services.name as service_name', sql<unknown>`services.spec -> 'tags'`.as('service_tags'), sql<unknown>`monitors.spec -> 'tags'`.as('monitor_tags')])
      .where('monitors.org_id', '=', orgId)
      .where('monitors.team_id', '=', teamId);
    if (ids) q = q.where('monitors.id', '=', anyOf(ids));
    if (filters.service !== undefined) q = q.where('services.name', '=', filters.service);
    if (filters.type !== undefined) q = q.where('monitors.type', '=', filters.type);
    if (filters.tag !== undefined) q = q.where(sql<boolean>`monitors.spec -> 'tags' @> ${JSON.stringify(tagObject(filters.tag))}::jsonb`);
    const rows = await q.orderBy('monitors.name').orderBy('monitors.id').execute();
    return rows.map((r) => ({ kind: 'monitor', id: r.id, name: r.name, service_id: r.service_id, service_name: r.service_name, tags: tagsOf(r) }));
  }

  /** The team's services matching a services(…) selector's filters (among `ids` when given), by name. */
  async selectServices(db: Db, orgId: string, teamId: string, filters: Readonly<Record<string, string>>, ids?: readonly string[]): Promise<SubjectRow[]> {
    if (ids && ids.length === 0) return [];
    let q = db.selectFrom('services').select(['id', 'name', sql<unknown>`spec -> 'tags'`.as('tags')]).where('org_id', '=', orgId).where('team_id', '=', teamId);
    if (ids) q = q.where('id', '=', anyOf(ids));
    if (filters.kind !== undefined) q = q.where(sql<string>`coalesce(spec ->> 'kind', 'internal')`, '=', filters.kind);
    if (filters.tag !== undefined) q = q.where(sql<boolean>`spec -> 'tags' @> ${JSON.stringify(tagObject(filters.tag))}::jsonb`);
    const rows = await q.orderBy('name').orderBy('id').execute();
    return rows.map((r) => ({ kind: 'service', id: r.id, name: r.name, service_id: r.id, service_name: r.name, tags: tagsOf(r) }));
  }


  /** The overall state of a monitor, service or edge (undefined: never evaluated). */
  async subjectState(db: Db, orgId: string, kind: StatefulKind, id: string): Promise<State | undefined> {
    return (await this.subjectStates(db, orgId, kind, [id])).get(id);
  }

  /** The overall states of many monitors, services or edges at once (absent: never evaluated). */
  async subjectStates(db: Db, orgId: string, kind: StatefulKind, ids: readonly string[]): Promise<Map<string, State>> {
    if (ids.length === 0) return new Map();
    const rows =
      kind === 'monitor'
        ? await db.selectFrom('monitor_states').select(['monitor_id as id', 'state']).where('org_id', '=', orgId).where('monitor_id', '=', anyOf(ids)).execute()
        : kind === 'service'
          ? await db.selectFrom('service_states').select(['service_id as id', 'state']).where('org_id', '=', orgId).where('service_id', '=', anyOf(ids)).execute()
          : await db.selectFrom('edge_states').select(['dependency_id as id', 'state']).where('org_id', '=', orgId).where('dependency_id', '=', anyOf(ids)).execute();
    return new Map(rows.map((r) => [r.id, r.state as State]));
  }

  /**
   * Duration of the latest result of each slot of these monitors within the last day (results are
   * time-partitioned: the bound keeps the scan to recent partitions).
   */
  async latestDurations(db: Db, orgId: string, monitorIds: readonly string[], now: Date): Promise<Array<{ region: string; duration_ms: number }>> {
    if (monitorIds.length === 0) return [];
    const { rows } = await sql<{ region: string; duration_ms: number }>`
      SELECT DISTINCT ON (monitor_id, region) region, duration_ms FROM check_results
      WHERE org_id = ${orgId} AND monitor_id = ANY(${[...monitorIds]}::text[]) AND started_at > ${new Date(now.getTime() - 86_400_000).toISOString()}::timestamptz
        AND started_at <= ${now.toISOString()}::timestamptz
      ORDER BY monitor_id, region, started_at DESC`.execute(db);
    return rows.map((r) => ({ region: r.region, duration_ms: Number(r.duration_ms) }));
  }

  /** Per-minute latency histograms of these monitors in [from, to), summed over regions unless one is given, oldest first. */
  async minuteHistograms(db: Db, orgId: string, monitorIds: readonly string[], from: Date, to: Date, region?: string): Promise<MinuteHistogram[]> {
    if (monitorIds.length === 0) return [];
    let q = db
      .selectFrom('result_rollups')
      .select(['bucket_start', 'checks', 'max_ms', 'histogram'])
      .where('org_id', '=', orgId)
      .where('monitor_id', '=', anyOf(monitorIds))
      .where('resolution', '=', 'minute')
      .where('bucket_start', '>=', from)
      .where('bucket_start', '<', to);
    if (region !== undefined) q = q.where('region', '=', region);
    const rows = await q.orderBy('bucket_start').execute();
    const byMinute = new Map<number, MinuteHistogram>();
    for (const r of rows) {
      const at = new Date(r.bucket_start).getTime();
      const histogram = parseIntArray(r.histogram as unknown as Array<number | string> | string);
      const m = byMinute.get(at);
      if (!m) byMinute.set(at, { at, checks: Number(r.checks), maxMs: Number(r.max_ms), histogram });
      else {
        m.checks += Number(r.checks);
        m.maxMs = Math.max(m.maxMs, Number(r.max_ms));
        histogram.forEach((n, i) => (m.histogram[i] = (m.histogram[i] ?? 0) + n));
      }
    }
    return [...byMinute.values()];
  }
}

/** "tier:1" as the JSON object {"tier":"1"} the tags column contains. */
function tagObject(tag: string): Record<string, string> {
  const i = tag.indexOf(':');
  return { [tag.slice(0, i)]: tag.slice(i + 1) };
}
