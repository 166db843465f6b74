import { managerOnCreate, managerOnUpdate, requireWritableBy, storedManager } from '../resources/managed-by.ts';
import { Type } from '@sinclair/typebox';
import { PharosError, notFound } from '../../contract/errors.ts';
import { SilenceInput, type SilenceInput as Input } from '../../contract/routing.schema.ts';
import { silenceErrors } from '../../contract/silence.rules.ts';
import { requireTeamAccess, visibleTeamIds } from '../../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import { decodeCursor, toPage } from '../../http/cursor.ts';
import type { Validator } from '../../http/validator.ts';
import { newId } from '../../shared/ids.ts';
import { mergePatch } from '../../shared/json.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import { ownerOf, requireOwnerAccess } from '../resources/owner.ts';
import { resolveTeam } from '../resources/references.ts';
import type { Caller } from '../resources/spec.service.ts';
import { inTransaction } from '../resources/transaction.ts';
import { checkVersion, iso } from '../resources/versioning.ts';
import { silenceState, type SilenceState } from '../routing/muting.ts';
import type { SilenceRepository, SilenceRow, SilenceWrite } from './silence.repository.ts';

const label = 'Silence';

/** The response document of a silence; `now` decides its state. */
export function presentSilence(row: SilenceRow, now: number): Record<string, unknown> {
  const spec = row.spec as Input;
  // The times as the client wrote them (as maintenance windows answer theirs), so a Terraform plan stays clean.
  const span = { starts_at: spec.starts_at ?? iso(row.starts_at)!, ends_at: spec.ends_at ?? iso(row.ends_at)! };
  return {
    id: row.id,
    scope: ownerOf(row) === null ? 'organization' : 'team',
    ...(row.team_id !== null ? { team_id: row.team_id } : {}),
    matchers: spec.matchers,
    ...span,
    comment: spec.comment,
    state: silenceState(span, now),
    created_by: row.created_by,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    version: row.version,
    managed_by: storedManager(row),
  };
}

// A silence has no name: messages name it by its comment.
const managedSilence = (row: SilenceRow) => ({ what: 'silence', name: String((row.spec as Input).comment ?? row.id), managedBy: storedManager(row) });

/** Silences: matchers and a span that mute notifications of a team's alerts, or (org admins) of every team's. */
export class SilenceService {
  constructor(
    private readonly db: Db,
    private readonly repo: SilenceRepository,
    private readonly audit: AuditRepository,
    private readonly validator: Validator,
    private readonly clock: () => number = Date.now,
  ) {}

  async list(caller: Caller, q: { limit: number; cursor?: string | undefined; team_id?: string | undefined; state?: SilenceState | undefined }) {
    const now = this.clock();
    const rows = await this.repo.list(this.db, caller.principal.orgId, { teamIds: visibleTeamIds(caller.principal), teamId: q.team_id, state: q.state, at: new Date(now), after: decodeCursor(q.cursor), limit: q.limit });
    return toPage(rows, q.limit, (row) => presentSilence(row, now));
  }

  async get(caller: Caller, id: string): Promise<SilenceRow> {
    const row = await this.repo.get(this.db, caller.principal.orgId, id);
    if (!row) throw notFound(label);
    requireOwnerAccess(caller.principal, ownerOf(row), 'read', label);
    return row;
  }

  async create(caller: Caller, input: Input): Promise<SilenceRow> {
    return inTransaction(this.db, label, async (trx) => {
      const write = { ...(await this.prepare(trx, caller, input)), managed_by: managerOnCreate(caller.managedBy) };
      const row = await this.repo.insert(trx, caller.principal.orgId, newId('silence'), write, { type: caller.principal.kind, id: caller.principal.id, name: caller.principal.name });
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'create', resourceType: 'silence', resourceId: row.id, teamId: row.team_id, before: undefined, after: presentSilence(row, this.clock()) });
      return row;
    });
  }

  /** PUT (replace) or PATCH (merge patch). Setting ends_at to now expires the silence early (it stays listed, as expired). */
  async update(caller: Caller, id: string, body: Record<string, unknown>, patch: boolean, ifMatch: number | undefined): Promise<SilenceRow> {
    return inTransaction(this.db, label, async (trx) => {
      const current = await this.repo.get(trx, caller.principal.orgId, id, true);
      if (!current) throw notFound(label);
      requireOwnerAccess(caller.principal, ownerOf(current), 'write', label);
      requireWritableBy(caller.managedBy, managedSilence(current));
      checkVersion(label, id, current.version, ifMatch);
      const stored = presentSilence(current, this.clock());
      const base = { scope: stored.scope, ...(current.team_id !== null ? { team_id: current.team_id } : {}), matchers: stored.matchers, starts_at: stored.starts_at, ends_at: stored.ends_at, comment: stored.comment };
      const next = patch ? this.validator.body<Input>(Type.Object(SilenceInput.properties, { additionalProperties: false }), mergePatch(base, body), 'The patched document') : (body as Input);
      const write = { ...(await this.prepare(trx, caller, next)), managed_by: managerOnUpdate(caller.managedBy, storedManager(current)) };
      if (ownerOf(current) !== write.team_id) requireOwnerAccess(caller.principal, ownerOf(current), 'write', label);
      const row = await this.repo.update(trx, caller.principal.orgId, id, write);
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'update', resourceType: 'silence', resourceId: id, teamId: row.team_id, before: stored, after: presentSilence(row, this.clock()) });
      return row;
    });
  }

  /** Removes a silence (its mute ends at once); to end it early but keep it listed, set ends_at to now instead. */
  async delete(caller: Caller, id: string, ifMatch: number | undefined): Promise<void> {
    await inTransaction(this.db, label, async (trx) => {
      const current = await this.repo.get(trx, caller.principal.orgId, id, true);
      if (!current) throw notFound(label);
      requireOwnerAccess(caller.principal, ownerOf(current), 'write', label);
      requireWritableBy(caller.managedBy, managedSilence(current));
      checkVersion(label, id, current.version, ifMatch);
      await this.repo.delete(trx, caller.principal.orgId, id);
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'delete', resourceType: 'silence', resourceId: id, teamId: current.team_id, before: presentSilence(current, this.clock()), after: undefined });
    });
  }

  private async prepare(trx: Db, caller: Caller, doc: Input): Promise<Omit<SilenceWrite, 'managed_by'>> {
    const errors = silenceErrors(doc);
    if (errors.length) throw new PharosError('validation_failed', `The silence is not consistent: ${errors.map((e) => `${e.pointer} ${e.message}`).join(' ')}`, errors);
    let teamId: string | null = null;
    if (doc.scope === 'organization') requireOwnerAccess(caller.principal, null, 'write', label);
    else {
      teamId = (await resolveTeam({ trx, principal: caller.principal, baseUrl: caller.baseUrl }, doc.team_id!)).id;
      requireTeamAccess(caller.principal, teamId, 'write', 'Team');
    }
    const spec: Record<string, unknown> = { matchers: doc.matchers, starts_at: doc.starts_at, ends_at: doc.ends_at, comment: doc.comment };
    return { team_id: teamId, spec, starts_at: new Date(doc.starts_at), ends_at: new Date(doc.ends_at) };
  }
}
