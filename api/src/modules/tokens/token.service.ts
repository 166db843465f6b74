import { Type } from '@sinclair/typebox';
import { PharosError, notFound, type FieldError } from '../../contract/errors.ts';
import { TokenInput, type TokenInput as Input } from '../../contract/team.schema.ts';
import { requireOrgAdmin, requireTeamAccess, type Principal } from '../../auth/principal.ts';
import { generateToken } from '../../auth/secret-token.ts';
import type { Db } from '../../db/database.ts';
import type { ApiTokenRow } from '../../db/tables.ts';
import { decodeCursor, toPage } from '../../http/cursor.ts';
import type { Validator } from '../../http/validator.ts';
import { newId } from '../../shared/ids.ts';
import { mergePatch } from '../../shared/json.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { Caller } from '../resources/spec.service.ts';
import { inTransaction } from '../resources/transaction.ts';
import { checkVersion, iso } from '../resources/versioning.ts';
import { expiryError } from './token-expiry.rules.ts';

/** Presents a token without its secret. */
export const presentToken = (row: ApiTokenRow) => ({
  id: row.id,
  name: row.name,
  role: row.role,
  ...(row.team_id ? { team_id: row.team_id } : {}),
  ...(row.expires_at ? { expires_at: iso(row.expires_at) } : {}),
  token_hint: row.token_hint,
  ...(row.last_used_at ? { last_used_at: iso(row.last_used_at) } : {}),
  created_at: iso(row.created_at),
  updated_at: iso(row.updated_at),
  version: row.version,
});

const invalid = (errors: FieldError[]) => new PharosError('validation_failed', errors.map((e) => `${e.pointer} ${e.message}`).join(' '), errors);

/** API tokens: org admins manage all; team admins manage their team's tokens up to their own role. */
export class TokenService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditRepository,
    private readonly validator: Validator,
  ) {}

  // Which tokens a caller may see: org admins all, team admins their teams' team-scoped tokens.
  private adminTeams(p: Principal): string[] | undefined {
    return p.orgAdmin ? undefined : [...p.teams].filter(([, role]) => role === 'team_admin').map(([team]) => team);
  }

  private requireAccess(p: Principal, row: ApiTokenRow) {
    if (p.orgAdmin) return;
    if (!row.team_id) throw notFound('Token');
    requireTeamAccess(p, row.team_id, 'admin', 'Token');
  }

  private async load(db: Db, caller: Caller, id: string, forUpdate = false) {
    let query = db.selectFrom('api_tokens').selectAll().where('org_id', '=', caller.principal.orgId).where('id', '=', id).where('revoked_at', 'is', null);
    if (forUpdate) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row) throw notFound('Token');
    this.requireAccess(caller.principal, row);
    return row;
  }

  async list(caller: Caller, q: { limit: number; cursor?: string | undefined; team_id?: string | undefined }) {
    const teams = this.adminTeams(caller.principal);
    if (teams && teams.length === 0) {
      if (caller.principal.teams.size === 0) return { items: [] };
      throw new PharosError('forbidden', 'Only org admins and team admins can list API tokens.');
    }
    let query = this.db.selectFrom('api_tokens').selectAll().where('org_id', '=', caller.principal.orgId).where('revoked_at', 'is', null);
    if (teams) query = query.where('team_id', 'in', teams);
    if (q.team_id) query = query.where('team_id', '=', q.team_id);
    const after = decodeCursor(q.cursor);
    if (after) query = query.where('id', '>', after);
    return toPage(await query.orderBy('id').limit(q.limit + 1).execute(), q.limit, presentToken);
  }

  async get(caller: Caller, id: string) {
    return this.load(this.db, caller, id);
  }

  async create(caller: Caller, input: Input): Promise<{ row: ApiTokenRow; token: string }> {
    const p = caller.principal;
    if (input.role === 'org_admin') {
      requireOrgAdmin(p, 'create org admin tokens');
      if (input.team_id) throw invalid([{ pointer: '/team_id', message: 'An org_admin token is not scoped to a team; remove team_id.' }]);
    } else if (!input.team_id) {
      throw invalid([{ pointer: '/team_id', message: `A "${input.role}" token is scoped to a team; set team_id.` }]);
    }
    if (input.expires_at && Date.parse(input.expires_at) <= Date.now()) throw invalid([{ pointer: '/expires_at', message: 'expires_at must be in the future.' }]);
    return inTransaction(this.db, 'Token', async (trx) => {
      if (input.team_id) {
        const team = await trx.selectFrom('teams').select('id').where('org_id', '=', p.orgId).where('id', '=', input.team_id).executeTakeFirst();
        if (!team || !(p.orgAdmin || p.teams.has(team.id))) throw invalid([{ pointer: '/team_id', message: `Team "${input.team_id}" does not exist or you have no access to it.` }]);
        requireTeamAccess(p, team.id, 'admin', 'Team');
      }
      const secret = generateToken('api');
      const now = new Date();
      const row = await trx
        .insertInto('api_tokens')
        .values({ id: newId('api_token'), org_id: p.orgId, team_id: input.team_id ?? null, name: input.name, role: input.role, token_hash: secret.hash, token_hint: secret.hint, created_by: p.id, created_at: now, updated_at: now, expires_at: input.expires_at ?? null })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.audit.record(trx, p, caller.requestId, { action: 'create', resourceType: 'token', resourceId: row.id, teamId: row.team_id, before: undefined, after: presentToken(row) });
      return { row, token: secret.token };
    });
  }

  async update(caller: Caller, id: string, body: Record<string, unknown>, patch: boolean, ifMatch: number | undefined) {
    return inTransaction(this.db, 'Token', async (trx) => {
      const current = await this.load(trx, caller, id, true);
      checkVersion('Token', id, current.version, ifMatch);
      const now = new Date();
      if (current.expires_at && new Date(current.expires_at) <= now) {
        throw new PharosError('conflict', `Token "${current.name}" expired at ${iso(current.expires_at)} and cannot be changed or revived; create a new token.`);
      }
      const stored = presentToken(current);
      const base = { name: stored.name, role: stored.role, ...(stored.team_id ? { team_id: stored.team_id } : {}), ...(stored.expires_at ? { expires_at: stored.expires_at } : {}) };
      const next = this.validator.body<Input>(Type.Object(TokenInput.properties, { additionalProperties: false }), patch ? mergePatch(base, body) : body, patch ? 'The patched document' : 'The request body');
      const errors: FieldError[] = [];
      if (next.role !== current.role) errors.push({ pointer: '/role', message: 'The role of a token cannot change; create a new token and revoke this one.' });
      if ((next.team_id ?? null) !== current.team_id) errors.push({ pointer: '/team_id', message: 'The team of a token cannot change; create a new token and revoke this one.' });
      const expiry = expiryError(current.expires_at ? new Date(current.expires_at) : null, next.expires_at, now);
      if (expiry) errors.push(expiry);
      if (errors.length) throw invalid(errors);
      const row = await trx
        .updateTable('api_tokens')
        .set((eb) => ({ name: next.name, expires_at: next.expires_at ?? null, updated_at: now, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'update', resourceType: 'token', resourceId: id, teamId: row.team_id, before: stored, after: presentToken(row) });
      return row;
    });
  }

  /** Revokes: the token stops working at once and disappears from the API; the row stays for the audit trail. */
  async revoke(caller: Caller, id: string, ifMatch: number | undefined) {
    await inTransaction(this.db, 'Token', async (trx) => {
      const current = await this.load(trx, caller, id, true);
      checkVersion('Token', id, current.version, ifMatch);
      await trx.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', id).execute();
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'delete', resourceType: 'token', resourceId: id, teamId: current.team_id, before: presentToken(current), after: undefined });
    });
  }
}
