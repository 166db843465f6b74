import { roleRank, type Principal } from '../../auth/principal.ts';
import { PharosError, notFound } from '../../contract/errors.ts';
import type { IncidentDetail, IncidentListQuery, IncidentPatch, IncidentSummary, IncidentTimelineEntry } from '../../contract/incident.schema.ts';
import type { Db } from '../../db/database.ts';
import type { IncidentState } from '../../db/tables.ts';
import { decodeCursor, toPage } from '../../http/cursor.ts';
import { newId } from '../../shared/ids.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { EventLogRepository } from '../events/event-log.repository.ts';
import type { Caller } from '../resources/spec.service.ts';
import { inTransaction } from '../resources/transaction.ts';
import { checkVersion } from '../resources/versioning.ts';
import { noticeId } from './incident-correlator.ts';
import { presentDetail, presentEntry, presentSummary } from './incident.present.ts';
import type { IncidentRepository, IncidentRow, IncidentUpdate } from './incident.repository.ts';

const label = 'Incident';
/** Timeline entries a detail shows (oldest first). */
const TIMELINE_LIMIT = 1000;
/** Change events a detail shows. */
const CHANGES_LIMIT = 200;
/** Most notifications listed in a detail. */
const NOTIFICATIONS_LIMIT = 200;
/** Change events this long before the first failure are shown with the incident. */
const CHANGES_BEFORE_MS = 60 * 60_000;

/** The teams an incident involves: every team of its alerts and services, and its owner. */
const teamsOf = (row: IncidentRow) => (row.team_id !== null ? [...new Set([...row.team_ids, row.team_id])] : row.team_ids);

/** Whether the caller sees the incident: org admins see all, anyone else the incidents of a team they have a role in. */
export function mayRead(p: Principal, row: IncidentRow): boolean {
  return p.orgAdmin || teamsOf(row).some((t) => p.teams.has(t));
}

/**
 * Who may act on an incident (acknowledge, resolve, note, change state): its responders, that is
 * whoever may change a resource of one of its teams (team editor or team admin of any of them) and
 * org admins. An incident the caller cannot see answers not_found; a viewer gets forbidden.
 */
export function requireResponder(p: Principal, row: IncidentRow): void {
  if (!mayRead(p, row)) throw notFound(label);
  if (p.orgAdmin) return;
  if (teamsOf(row).some((t) => roleRank(p.teams.get(t) ?? 'viewer') >= roleRank('team_editor'))) return;
  throw new PharosError('forbidden', `Your role "viewer" cannot change incident #${row.number}; ask a team admin of one of its teams (${teamsOf(row).join(', ')}) for the "team_editor" role.`);
}

const actorOf = (p: Principal) => ({ type: p.kind, id: p.id, name: p.name });

type TimelineDraft = { kind: string; payload: Record<string, unknown> };

/** The incidents API: lists and details scoped to the caller's teams, and what responders do to an incident. */
export class IncidentService {
  constructor(
    private readonly db: Db,
    private readonly repo: IncidentRepository,
    private readonly events: EventLogRepository,
    private readonly audit: AuditRepository,
    private readonly clock: () => number = Date.now,
  ) {}

  async list(p: Principal, q: IncidentListQuery): Promise<{ items: IncidentSummary[]; next_cursor?: string }> {
    const limit = q.limit ?? 50;
    const filters = q.state === undefined ? undefined : [q.state].flat();
    const states = filters === undefined ? undefined : [...new Set(filters.flatMap((s): IncidentState[] => (s === 'open' ? ['investigating', 'identified', 'monitoring'] : [s])))];
    const from = q.from === undefined ? undefined : new Date(q.from);
    const to = q.to === undefined ? undefined : new Date(q.to);
    if (from && to && from.getTime() >= to.getTime()) throw new PharosError('validation_failed', `from (${q.from}) must be before to (${q.to}).`, [{ pointer: '/from', message: 'Must be before to.' }]);
    const rows = await this.repo.list(this.db, p.orgId, {
      teamIds: p.orgAdmin ? undefined : [...p.teams.keys()], states, teamId: q.team_id, serviceId: q.service_id, from, to, after: decodeCursor(q.cursor), limit,
    });
    const counts = await this.repo.alertCounts(this.db, p.orgId, rows.slice(0, limit).map((r) => r.id));
    const now = this.clock();
    return toPage(rows, limit, (row) => presentSummary(row, counts.get(row.id), now));
  }

  /** An incident by id (inc_…) or by number. */
  async get(p: Principal, idOrNumber: string): Promise<IncidentDetail> {
    const row = await this.find(this.db, p.orgId, idOrNumber, false);
    if (!row || !mayRead(p, row)) throw notFound(label);
    return this.detail(this.db, row);
  }

  /** Records who acknowledged it and when; acknowledging again keeps the first. A resolved incident cannot be acknowledged. */
  async acknowledge(caller: Caller, idOrNumber: string, ifMatch: number | undefined): Promise<IncidentDetail> {
    return this.write(caller, idOrNumber, ifMatch, (row, now) => {
      if (row.acknowledged_at !== null) return undefined;
      if (row.state === 'resolved') throw new PharosError('conflict', `Incident #${row.number} is resolved; there is nothing left to acknowledge.`);
      return { set: { acknowledged_at: now, acknowledged_by: actorOf(caller.principal) }, entries: [{ kind: 'acknowledged', payload: {} }], change: 'acknowledged' };
    });
  }

  /** Resolves it by hand; it stays resolved even while alerts still fire (new failures open a new incident). Resolving again keeps the first. */
  async resolve(caller: Caller, idOrNumber: string, ifMatch: number | undefined): Promise<IncidentDetail> {
    return this.write(caller, idOrNumber, ifMatch, (row, now) => {
      if (row.state === 'resolved') return undefined;
      return { set: this.resolution(caller, now), entries: [{ kind: 'resolved', payload: { from: row.state } }], change: 'resolved' };
    });
  }

  /** Adds a note to the timeline; a public one is also an update on the status pages showing the incident's services. */
  async addNote(caller: Caller, idOrNumber: string, text: string, isPublic = false): Promise<IncidentTimelineEntry> {
    let entry: IncidentTimelineEntry | undefined;
    await this.write(caller, idOrNumber, undefined, () => ({ set: {}, entries: [{ kind: 'note', payload: { text, public: isPublic } }], change: 'note' }), (e) => {
      entry = presentEntry(e);
    });
    return entry!;
  }

  /** Moves the state by hand, renames it, or turns its self-resolution off or on. */
  async update(caller: Caller, idOrNumber: string, patch: IncidentPatch, ifMatch: number | undefined): Promise<IncidentDetail> {
    return this.write(caller, idOrNumber, ifMatch, (row, now) => {
      const set: IncidentUpdate = {};
      const entries: TimelineDraft[] = [];
      let change: string | undefined;
      if (patch.state !== undefined && patch.state !== row.state) {
        if (row.state === 'resolved') {
          throw new PharosError('conflict', `Incident #${row.number} is resolved and stays resolved: a new failure opens a new incident. You can still add notes or change its title.`, [{ pointer: '/state', message: 'A resolved incident cannot change state.' }]);
        }
        if (patch.state === 'resolved') {
          Object.assign(set, this.resolution(caller, now));
          entries.push({ kind: 'resolved', payload: { from: row.state } });
          change = 'resolved';
        } else {
          set.state = patch.state;
          if (patch.state === 'identified' && row.identified_at === null) set.identified_at = now;
          set.monitoring_since = patch.state === 'monitoring' ? now : null;
          entries.push({ kind: 'state', payload: { from: row.state, to: patch.state } });
          change = 'state';
        }
      }
      const fields: Record<string, { from: unknown; to: unknown }> = {};
      if (patch.title !== undefined && patch.title !== row.title) {
        set.title = patch.title;
        fields.title = { from: row.title, to: patch.title };
      }
      if (patch.auto_resolve !== undefined && patch.auto_resolve !== row.auto_resolve) {
        set.auto_resolve = patch.auto_resolve;
        fields.auto_resolve = { from: row.auto_resolve, to: patch.auto_resolve };
      }
      if (Object.keys(fields).length > 0) {
        entries.push({ kind: 'updated', payload: fields });
        change ??= 'updated';
      }
      return change === undefined ? undefined : { set, entries, change };
    });
  }

  private resolution(caller: Caller, now: Date): IncidentUpdate {
    return { state: 'resolved', resolved_at: now, resolved_by: actorOf(caller.principal), monitoring_since: null };
  }

  /**
   * One responder's write: locks the incident, checks access and version, applies the decided
   * change (undefined: nothing to change, the incident is answered as it is), appends its timeline
   * entries, the audit entry and the incident.changed event, all in one transaction.
   */
  private async write(
    caller: Caller,
    idOrNumber: string,
    ifMatch: number | undefined,
    decide: (row: IncidentRow, now: Date) => { set: IncidentUpdate; entries: TimelineDraft[]; change: string } | undefined,
    onEntry?: (entry: Awaited<ReturnType<IncidentRepository['appendTimeline']>>) => void,
  ): Promise<IncidentDetail> {
    const p = caller.principal;
    return inTransaction(this.db, label, async (trx) => {
      const current = await this.find(trx, p.orgId, idOrNumber, true);
      if (!current) throw notFound(label);
      requireResponder(p, current);
      checkVersion(label, current.id, current.version, ifMatch);
      const now = new Date(this.clock());
      const decided = decide(current, now);
      if (!decided) return this.detail(trx, current);
      const row = await this.repo.update(trx, p.orgId, current.id, decided.set, now);
      for (const draft of decided.entries) {
        const entry = await this.repo.appendTimeline(trx, { id: newId('incident_timeline'), incident_id: row.id, org_id: p.orgId, at: now, kind: draft.kind, actor: actorOf(p), payload: draft.payload });
        onEntry?.(entry);
      }
      const at = now.getTime();
      await this.audit.record(trx, p, caller.requestId, {
        action: 'update', resourceType: 'incident', resourceId: row.id, teamId: row.team_id,
        before: presentSummary(current, undefined, at), after: { ...presentSummary(row, undefined, at), ...(decided.change === 'note' ? { note: decided.entries[0]!.payload.text } : {}) },
      });
      await this.events.append(trx, [{ orgId: p.orgId, kind: 'incident.changed', at: now, payload: { incident_id: row.id, number: row.number, state: row.state, change: decided.change } }]);
      return this.detail(trx, row);
    });
  }

  private async find(db: Db, orgId: string, idOrNumber: string, forUpdate: boolean): Promise<IncidentRow | undefined> {
    if (/^[1-9][0-9]{0,8}$/.test(idOrNumber)) return this.repo.getByNumber(db, orgId, Number(idOrNumber), forUpdate);
    return this.repo.get(db, orgId, idOrNumber, forUpdate);
  }

  private async detail(db: Db, row: IncidentRow): Promise<IncidentDetail> {
    const now = this.clock();
    const until = row.resolved_at === null ? new Date(now) : new Date(row.resolved_at);
    const [alerts, timeline, changes] = await Promise.all([
      this.repo.alerts(db, row.org_id, row.id),
      this.repo.timeline(db, row.org_id, row.id, TIMELINE_LIMIT + 1),
      this.repo.changes(db, row.org_id, row.service_ids, new Date(new Date(row.first_failure_at).getTime() - CHANGES_BEFORE_MS), until, CHANGES_LIMIT),
    ]);
    // Its alerts' notifications, and its informational notices (one pseudo-alert per team).
    const carried = [...alerts.map((a) => a.alert_id), ...row.team_ids.map((t) => noticeId(row.id, t))];
    const notifications = await this.repo.notificationsOf(db, row.org_id, carried, new Date(new Date(row.opened_at).getTime() - 60_000), NOTIFICATIONS_LIMIT);
    return presentDetail(row, { alerts, timeline: timeline.slice(0, TIMELINE_LIMIT), timelineTruncated: timeline.length > TIMELINE_LIMIT, changes, notifications, carried }, now);
  }
}
