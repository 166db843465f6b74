import { managerOnCreate, managerOnUpdate, requireWritableBy, storedManager } from '../resources/managed-by.ts';
import { PharosError, notFound } from '../../contract/errors.ts';
import type { TeamInput } from '../../contract/team.schema.ts';
import { requireOrgAdmin, requireTeamAccess, visibleTeamIds } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import type { TeamRow } from '../../db/tables.ts';
import { decodeCursor, toPage } from '../../http/cursor.ts';
import { newId } from '../../shared/ids.ts';
import { mergePatch } from '../../shared/json.ts';
import type { Validator } from '../../http/validator.ts';
import { TeamInput as TeamInputSchema } from '../../contract/team.schema.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { Caller } from '../resources/spec.service.ts';
import { teamNameTaken } from '../resources/name-scope.ts';
import { inTransaction } from '../resources/transaction.ts';
import { checkVersion, iso } from '../resources/versioning.ts';
import type { TeamRepository } from './team.repository.ts';

/** Presents a team row. */
export const presentTeam = (row: TeamRow) => ({
  id: row.id,
  name: row.name,
  ...(row.description !== null ? { description: row.description } : {}),
  created_at: iso(row.created_at),
  updated_at: iso(row.updated_at),
  version: row.version,
  managed_by: storedManager(row),
});

/** Teams: created and deleted by org admins, edited by their team admins, read by their members. */
export class TeamService {
  constructor(
    private readonly db: Db,
    private readonly repo: TeamRepository,
    private readonly audit: AuditRepository,
    private readonly validator: Validator,
  ) {}

  async list(caller: Caller, q: { limit: number; cursor?: string | undefined; name?: string | undefined }) {
    const rows = await this.repo.list(this.db, caller.principal.orgId, visibleTeamIds(caller.principal), decodeCursor(q.cursor), q.limit, q.name);
    return toPage(rows, q.limit, presentTeam);
  }

  async get(caller: Caller, id: string) {
    const row = await this.repo.get(this.db, caller.principal.orgId, id);
    if (!row) throw notFound('Team');
    requireTeamAccess(caller.principal, row.id, 'read', 'Team');
    return row;
  }

  async create(caller: Caller, input: TeamInput) {
    requireOrgAdmin(caller.principal, 'create teams');
    return inTransaction(this.db, 'Team', async (trx) => {
      const row = await this.repo.insert(trx, { id: newId('team'), org_id: caller.principal.orgId, name: input.name, description: input.description ?? null, managed_by: managerOnCreate(caller.managedBy) });
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'create', resourceType: 'team', resourceId: row.id, teamId: row.id, before: undefined, after: presentTeam(row) });
      return row;
    }, { nameTaken: () => this.nameTaken(caller.principal.orgId, input.name) });
  }

  /** The conflict naming the team that holds a name, if one does (other than `exceptId`). */
  private async nameTaken(orgId: string, name: string | undefined, exceptId?: string) {
    const holder = name === undefined ? undefined : await this.repo.getByName(this.db, orgId, name);
    return holder && holder.id !== exceptId ? teamNameTaken(holder) : undefined;
  }

  async update(caller: Caller, id: string, body: Record<string, unknown>, patch: boolean, ifMatch: number | undefined) {
    let wanted: string | undefined;
    return inTransaction(this.db, 'Team', async (trx) => {
      const current = await this.repo.get(trx, caller.principal.orgId, id, true);
      if (!current) throw notFound('Team');
      requireTeamAccess(caller.principal, id, 'admin', 'Team');
      requireWritableBy(caller.managedBy, { what: 'team', name: current.name, managedBy: storedManager(current) });
      checkVersion('Team', id, current.version, ifMatch);
      const stored = { name: current.name, ...(current.description !== null ? { description: current.description } : {}) };
      const next = this.validator.body<TeamInput>(TeamInputSchema, patch ? mergePatch(stored, body) : body, patch ? 'The patched document' : 'The request body');
      wanted = next.name;
      const row = await this.repo.update(trx, caller.principal.orgId, id, { name: next.name, description: next.description ?? null, managed_by: managerOnUpdate(caller.managedBy, storedManager(current)) });
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'update', resourceType: 'team', resourceId: id, teamId: id, before: presentTeam(current), after: presentTeam(row) });
      return row;
    }, { nameTaken: () => this.nameTaken(caller.principal.orgId, wanted, id) });
  }

  async delete(caller: Caller, id: string, ifMatch: number | undefined) {
    await inTransaction(this.db, 'Team', async (trx) => {
      const current = await this.repo.get(trx, caller.principal.orgId, id, true);
      if (!current) throw notFound('Team');
      requireTeamAccess(caller.principal, id, 'read', 'Team');
      requireOrgAdmin(caller.principal, 'delete teams');
      requireWritableBy(caller.managedBy, { what: 'team', name: current.name, managedBy: storedManager(current) });
      checkVersion('Team', id, current.version, ifMatch);
      const owned = await this.repo.ownedResources(trx, caller.principal.orgId, id);
      if (owned.length) throw new PharosError('conflict', `Team "${current.name}" still owns ${owned.join(', ')}; delete or move them first.`);
      await this.repo.delete(trx, caller.principal.orgId, id);
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'delete', resourceType: 'team', resourceId: id, teamId: id, before: presentTeam(current), after: undefined });
    });
  }
}
