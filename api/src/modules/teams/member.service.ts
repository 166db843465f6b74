import { managerOnCreate, managerOnUpdate, requireWritableBy, storedManager } from '../resources/managed-by.ts';
import { Type } from '@sinclair/typebox';
import { PharosError, notFound } from '../../contract/errors.ts';
import { MemberInput, type MemberInput as Input } from '../../contract/team.schema.ts';
import { requireTeamAccess } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import { decodeCursor, toPage } from '../../http/cursor.ts';
import type { Validator } from '../../http/validator.ts';
import { newId } from '../../shared/ids.ts';
import { mergePatch } from '../../shared/json.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { Caller } from '../resources/spec.service.ts';
import { inTransaction } from '../resources/transaction.ts';
import { checkVersion, iso } from '../resources/versioning.ts';

interface MemberRow {
  id: string;
  team_id: string;
  user_id: string;
  role: string;
  subject: string;
  email: string | null;
  display_name: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  version: number;
  managed_by: string;
}

/** Presents a membership joined with its user. */
export const presentMember = (row: MemberRow) => ({
  id: row.id,
  team_id: row.team_id,
  user_id: row.user_id,
  subject: row.subject,
  ...(row.email ? { email: row.email } : {}),
  ...(row.display_name ? { display_name: row.display_name } : {}),
  role: row.role,
  created_at: iso(row.created_at),
  updated_at: iso(row.updated_at),
  version: row.version,
  managed_by: storedManager(row),
});

const managedMember = (row: MemberRow) => ({ what: 'team member', name: row.subject, managedBy: storedManager(row) });

const MemberUpdate = Type.Object({ ...MemberInput.properties }, { additionalProperties: false });

/** Team members: users (identified by their identity-provider subject) with a role in a team. */
export class MemberService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditRepository,
    private readonly validator: Validator,
  ) {}

  private select(db: Db, orgId: string) {
    return db
      .selectFrom('memberships as m')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .select(['m.id', 'm.team_id', 'm.user_id', 'm.role', 'u.subject', 'u.email', 'u.display_name', 'm.created_at', 'm.updated_at', 'm.version', 'm.managed_by'])
      .where('m.org_id', '=', orgId);
  }

  private async team(db: Db, caller: Caller, teamId: string, access: 'read' | 'admin') {
    const team = await db.selectFrom('teams').select('id').where('org_id', '=', caller.principal.orgId).where('id', '=', teamId).executeTakeFirst();
    if (!team) throw notFound('Team');
    requireTeamAccess(caller.principal, teamId, access, 'Team');
  }

  async list(caller: Caller, teamId: string, q: { limit: number; cursor?: string | undefined }) {
    await this.team(this.db, caller, teamId, 'read');
    let query = this.select(this.db, caller.principal.orgId).where('m.team_id', '=', teamId);
    const after = decodeCursor(q.cursor);
    if (after) query = query.where('m.id', '>', after);
    const rows = await query.orderBy('m.id').limit(q.limit + 1).execute();
    return toPage(rows, q.limit, presentMember);
  }

  async get(caller: Caller, teamId: string, id: string) {
    await this.team(this.db, caller, teamId, 'read');
    const row = await this.select(this.db, caller.principal.orgId).where('m.team_id', '=', teamId).where('m.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Member');
    return row;
  }

  async create(caller: Caller, teamId: string, input: Input) {
    return inTransaction(this.db, 'Member', async (trx) => {
      await this.team(trx, caller, teamId, 'admin');
      const user = await this.upsertUser(trx, caller.principal.orgId, input);
      const exists = await trx.selectFrom('memberships').select('id').where('team_id', '=', teamId).where('user_id', '=', user.id).executeTakeFirst();
      if (exists) throw new PharosError('conflict', `"${input.subject}" is already a member of this team (member ${exists.id}); change its role instead.`);
      const now = new Date();
      const id = newId('membership');
      await trx.insertInto('memberships').values({ id, org_id: caller.principal.orgId, team_id: teamId, user_id: user.id, role: input.role, created_at: now, updated_at: now, managed_by: managerOnCreate(caller.managedBy) }).execute();
      const row = await this.select(trx, caller.principal.orgId).where('m.id', '=', id).executeTakeFirstOrThrow();
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'create', resourceType: 'member', resourceId: id, teamId, before: undefined, after: presentMember(row) });
      return row;
    });
  }

  async update(caller: Caller, teamId: string, id: string, body: Record<string, unknown>, patch: boolean, ifMatch: number | undefined) {
    return inTransaction(this.db, 'Member', async (trx) => {
      await this.team(trx, caller, teamId, 'read');
      const current = await this.select(trx, caller.principal.orgId).where('m.team_id', '=', teamId).where('m.id', '=', id).executeTakeFirst();
      if (!current) throw notFound('Member');
      requireTeamAccess(caller.principal, teamId, 'admin', 'Team');
      requireWritableBy(caller.managedBy, managedMember(current));
      checkVersion('Member', id, current.version, ifMatch);
      const stored = presentMember(current);
      const base = { subject: stored.subject, role: stored.role, ...(stored.email ? { email: stored.email } : {}), ...(stored.display_name ? { display_name: stored.display_name } : {}) };
      const next = this.validator.body<Input>(MemberUpdate, patch ? mergePatch(base, body) : body, patch ? 'The patched document' : 'The request body');
      if (next.subject !== current.subject) {
        throw new PharosError('validation_failed', '/subject cannot change; remove the member and add the new subject.', [{ pointer: '/subject', message: 'The subject of a member cannot change; delete the member and add the new subject instead.' }]);
      }
      await trx.updateTable('users').set({ email: next.email ?? null, display_name: next.display_name ?? null }).where('id', '=', current.user_id).execute();
      await trx.updateTable('memberships').set((eb) => ({ role: next.role, managed_by: managerOnUpdate(caller.managedBy, storedManager(current)), updated_at: new Date(), version: eb('version', '+', 1) })).where('id', '=', id).execute();
      const row = await this.select(trx, caller.principal.orgId).where('m.id', '=', id).executeTakeFirstOrThrow();
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'update', resourceType: 'member', resourceId: id, teamId, before: stored, after: presentMember(row) });
      return row;
    });
  }

  async delete(caller: Caller, teamId: string, id: string, ifMatch: number | undefined) {
    await inTransaction(this.db, 'Member', async (trx) => {
      await this.team(trx, caller, teamId, 'read');
      const current = await this.select(trx, caller.principal.orgId).where('m.team_id', '=', teamId).where('m.id', '=', id).executeTakeFirst();
      if (!current) throw notFound('Member');
      requireTeamAccess(caller.principal, teamId, 'admin', 'Team');
      requireWritableBy(caller.managedBy, managedMember(current));
      checkVersion('Member', id, current.version, ifMatch);
      await trx.deleteFrom('memberships').where('id', '=', id).execute();
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'delete', resourceType: 'member', resourceId: id, teamId, before: presentMember(current), after: undefined });
    });
  }

  // Users belong to one organization; the subject is the identity provider's stable user id.
  private async upsertUser(trx: Db, orgId: string, input: Input) {
    const existing = await trx.selectFrom('users').select(['id', 'org_id']).where('subject', '=', input.subject).executeTakeFirst();
    if (existing && existing.org_id !== orgId) throw new PharosError('conflict', `The subject "${input.subject}" belongs to another organization.`);
    if (existing) return existing;
    const row = { id: newId('user'), org_id: orgId, subject: input.subject, email: input.email ?? null, display_name: input.display_name ?? null, created_at: new Date() };
    await trx.insertInto('users').values(row).execute();
    return row;
  }
}
