import { CHANGE_EVENT_MAX_AGE_DAYS, CHANGE_EVENT_MAX_FUTURE_MS, type ChangeEvent, type ChangeEventInput, type ChangeEventListQuery } from '../../contract/change-event.schema.ts';
import { PharosError, notFound } from '../../contract/errors.ts';
import { requireTeamAccess, visibleTeamIds } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import { decodeCursor, encodeCursor } from '../../http/cursor.ts';
import { newId } from '../../shared/ids.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { Caller } from '../resources/spec.service.ts';
import { inTransaction } from '../resources/transaction.ts';
import type { ChangeEventRepository, ChangeEventRow, ServiceRef } from './change-event.repository.ts';

const label = 'Change event';
const DAY = 86_400_000;

const invalid = (pointer: string, message: string) => new PharosError('validation_failed', `${pointer}: ${message}`, [{ pointer, message }]);

/** The response document of a change event. */
export function presentChangeEvent(row: ChangeEventRow): ChangeEvent {
  return {
    id: row.id,
    service_id: row.service_id,
    service_name: row.service_name,
    team_id: row.team_id,
    kind: row.kind,
    ...(row.version !== null ? { version: row.version } : {}),
    ...(row.actor !== null ? { actor: row.actor } : {}),
    ...(row.link !== null ? { link: row.link } : {}),
    ...(row.description !== null ? { description: row.description } : {}),
    at: row.at.toISOString(),
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
  };
}

// The list is newest first, so its cursor is the (at, id) of the last item.
const pageCursor = (row: ChangeEventRow) => encodeCursor(`${row.at.toISOString()}|${row.id}`);

function afterCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  const key = decodeCursor(cursor);
  if (key === undefined) return undefined;
  const bar = key.indexOf('|');
  const at = new Date(key.slice(0, bar));
  if (bar < 0 || Number.isNaN(at.getTime())) throw new PharosError('bad_request', 'The cursor is not valid; pass the next_cursor value of a previous page unchanged.');
  return { at, id: key.slice(bar + 1) };
}

/**
 * Change events (deploys, config changes, flag flips, rollbacks) of services, reported by CI/CD.
 * Reading needs a role on the service's team; reporting needs team_editor there (or org admin).
 */
export class ChangeEventService {
  constructor(
    private readonly db: Db,
    private readonly repo: ChangeEventRepository,
    private readonly audit: AuditRepository,
    private readonly clock: () => number = Date.now,
  ) {}

  async create(caller: Caller, input: ChangeEventInput): Promise<ChangeEventRow> {
    const now = this.clock();
    const at = input.at === undefined ? new Date(now) : new Date(input.at);
    if (at.getTime() > now + CHANGE_EVENT_MAX_FUTURE_MS) throw invalid('/at', `${input.at} is more than 5 minutes ahead of the server clock (${new Date(now).toISOString()}); send the time of the change, or leave at out for now.`);
    if (at.getTime() < now - CHANGE_EVENT_MAX_AGE_DAYS * DAY) throw invalid('/at', `${input.at} is more than ${CHANGE_EVENT_MAX_AGE_DAYS} days ago; only changes of the last ${CHANGE_EVENT_MAX_AGE_DAYS} days can be reported.`);
    return inTransaction(this.db, label, async (trx) => {
      const service = await this.visibleService(trx, caller, input.service, '/service');
      requireTeamAccess(caller.principal, service.team_id, 'write', 'Service');
      const id = newId('change_event');
      const createdBy = { type: caller.principal.kind, id: caller.principal.id, name: caller.principal.name };
      await this.repo.insert(trx, caller.principal.orgId, {
        id, teamId: service.team_id, serviceId: service.id, kind: input.kind, version: input.version ?? null, actor: input.actor ?? null,
        link: input.link ?? null, description: input.description ?? null, at, createdBy,
      });
      const row = (await this.repo.get(trx, caller.principal.orgId, id))!;
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'create', resourceType: 'change_event', resourceId: id, teamId: row.team_id, before: undefined, after: presentChangeEvent(row) });
      return row;
    });
  }

  async get(caller: Caller, id: string): Promise<ChangeEventRow> {
    const row = await this.repo.get(this.db, caller.principal.orgId, id);
    if (!row) throw notFound(label);
    requireTeamAccess(caller.principal, row.team_id, 'read', label);
    return row;
  }

  async list(caller: Caller, q: ChangeEventListQuery): Promise<{ items: ChangeEvent[]; next_cursor?: string }> {
    const limit = q.limit ?? 50;
    const from = q.from === undefined ? undefined : new Date(q.from);
    const to = q.to === undefined ? undefined : new Date(q.to);
    if (from && to && to <= from) throw invalid('/to', `to (${q.to}) must be after from (${q.from}).`);
    const service = q.service === undefined ? undefined : await this.visibleService(this.db, caller, q.service, '/service');
    const rows = await this.repo.list(this.db, caller.principal.orgId, {
      teamIds: visibleTeamIds(caller.principal), teamId: q.team_id, serviceId: service?.id, kind: q.kind, from, to, after: afterCursor(q.cursor), limit,
    });
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    return { items: page.map(presentChangeEvent), ...(more ? { next_cursor: pageCursor(page[page.length - 1]!) } : {}) };
  }

  // A service the caller cannot see is reported like a missing one (existence does not leak).
  private async visibleService(db: Db, caller: Caller, idOrName: string, pointer: string): Promise<ServiceRef> {
    const service = await this.repo.service(db, caller.principal.orgId, idOrName);
    const p = caller.principal;
    if (!service || !(p.orgAdmin || p.teams.has(service.team_id))) {
      throw invalid(pointer, `No service "${idOrName}" exists that you have access to; pass the id ("svc_…") or the name of one of your team's services (GET /v1/services lists them).`);
    }
    return service;
  }
}
