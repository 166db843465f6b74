import { managerOnCreate, managerOnUpdate, requireWritableBy, storedManager } from '../resources/managed-by.ts';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../contract/errors.ts';
import { RunnerTokenInput, type RunnerTokenInput as Input } from '../../contract/team.schema.ts';
import { requireOrgAdmin } from '../../auth/principal.ts';
import { generateToken } from '../../auth/secret-token.ts';
import type { Db } from '../../db/database.ts';
import type { RunnerTokenRow } from '../../db/tables.ts';
import { decodeCursor, toPage } from '../../http/cursor.ts';
import type { Validator } from '../../http/validator.ts';
import { newId } from '../../shared/ids.ts';
import { mergePatch } from '../../shared/json.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { Caller } from '../resources/spec.service.ts';
import { inTransaction } from '../resources/transaction.ts';
import { checkVersion, iso } from '../resources/versioning.ts';

/** Presents a runner token without its secret. */
export const presentRunnerToken = (row: RunnerTokenRow) => ({
  id: row.id,
  name: row.name,
  region: row.region,
  labels: row.labels ?? {},
  serves_general_pool: row.serves_general_pool,
  token_hint: row.token_hint,
  ...(row.last_used_at ? { last_used_at: iso(row.last_used_at) } : {}),
  created_at: iso(row.created_at),
  updated_at: iso(row.updated_at),
  version: row.version,
  managed_by: storedManager(row),
});

const managedToken = (row: RunnerTokenRow) => ({ what: 'runner token', name: row.name, managedBy: storedManager(row) });

const Update = Type.Object(RunnerTokenInput.properties, { additionalProperties: false });

/** Told after a token's region, labels or pool changed, so slots can move (a runner's eligibility changed). */
export type RunnerTokenChangeListener = (orgId: string) => void;

/** Runner tokens: org-wide credentials of runner pools, scoped to a region and labels; org admins only. */
export class RunnerTokenService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditRepository,
    private readonly validator: Validator,
    private readonly onChange?: RunnerTokenChangeListener,
  ) {}

  private async load(db: Db, caller: Caller, id: string, forUpdate = false) {
    requireOrgAdmin(caller.principal, 'manage runner tokens');
    let query = db.selectFrom('runner_tokens').selectAll().where('org_id', '=', caller.principal.orgId).where('id', '=', id).where('revoked_at', 'is', null);
    if (forUpdate) query = query.forUpdate();
    const row = await query.executeTakeFirst();
    if (!row) throw notFound('Runner token');
    return row;
  }

  async list(caller: Caller, q: { limit: number; cursor?: string | undefined; region?: string | undefined }) {
    requireOrgAdmin(caller.principal, 'list runner tokens');
    let query = this.db.selectFrom('runner_tokens').selectAll().where('org_id', '=', caller.principal.orgId).where('revoked_at', 'is', null);
    if (q.region) query = query.where('region', '=', q.region);
    const after = decodeCursor(q.cursor);
    if (after) query = query.where('id', '>', after);
    return toPage(await query.orderBy('id').limit(q.limit + 1).execute(), q.limit, presentRunnerToken);
  }

  get(caller: Caller, id: string) {
    return this.load(this.db, caller, id);
  }

  async create(caller: Caller, input: Input): Promise<{ row: RunnerTokenRow; token: string }> {
    requireOrgAdmin(caller.principal, 'create runner tokens');
    return inTransaction(this.db, 'Runner token', async (trx) => {
      const secret = generateToken('runner');
      const now = new Date();
      const row = await trx
        .insertInto('runner_tokens')
        .values({ id: newId('runner_token'), org_id: caller.principal.orgId, name: input.name, region: input.region, labels: JSON.stringify(input.labels ?? {}), serves_general_pool: input.serves_general_pool ?? false, token_hash: secret.hash, token_hint: secret.hint, created_at: now, updated_at: now, managed_by: managerOnCreate(caller.managedBy) })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'create', resourceType: 'runner_token', resourceId: row.id, teamId: null, before: undefined, after: presentRunnerToken(row) });
      return { row, token: secret.token };
    });
  }

  async update(caller: Caller, id: string, body: Record<string, unknown>, patch: boolean, ifMatch: number | undefined) {
    const row = await inTransaction(this.db, 'Runner token', async (trx) => {
      const current = await this.load(trx, caller, id, true);
      requireWritableBy(caller.managedBy, managedToken(current));
      checkVersion('Runner token', id, current.version, ifMatch);
      const stored = presentRunnerToken(current);
      const base = { name: stored.name, region: stored.region, labels: stored.labels, serves_general_pool: stored.serves_general_pool };
      const next = this.validator.body<Input>(Update, patch ? mergePatch(base, body) : body, patch ? 'The patched document' : 'The request body');
      const row = await trx
        .updateTable('runner_tokens')
        .set((eb) => ({ name: next.name, region: next.region, labels: JSON.stringify(next.labels ?? {}), serves_general_pool: next.serves_general_pool ?? false, managed_by: managerOnUpdate(caller.managedBy, storedManager(current)), updated_at: new Date(), version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'update', resourceType: 'runner_token', resourceId: id, teamId: null, before: stored, after: presentRunnerToken(row) });
      return row;
    });
    // Live runners of the token read serves_general_pool from it: general slots may move now.
    this.onChange?.(caller.principal.orgId);
    return row;
  }

  async revoke(caller: Caller, id: string, ifMatch: number | undefined) {
    await inTransaction(this.db, 'Runner token', async (trx) => {
      const current = await this.load(trx, caller, id, true);
      requireWritableBy(caller.managedBy, managedToken(current));
      checkVersion('Runner token', id, current.version, ifMatch);
      await trx.updateTable('runner_tokens').set({ revoked_at: new Date() }).where('id', '=', id).execute();
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'delete', resourceType: 'runner_token', resourceId: id, teamId: null, before: presentRunnerToken(current), after: undefined });
    });
  }
}
