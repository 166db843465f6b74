import { PharosError, notFound } from '../../contract/errors.ts';
import { requireTeamAccess, visibleTeamIds, type Principal } from '../../auth/principal.ts';
import { ownerOf, requireOwnerAccess } from './owner.ts';
import type { Db } from '../../db/database.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { SpecRow } from '../../db/tables.ts';
import { decodeCursor, toPage } from '../../http/cursor.ts';
import type { Validator } from '../../http/validator.ts';
import { newId } from '../../shared/ids.ts';
import { mergePatch } from '../../shared/json.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { KindContext, SpecKind } from './spec-kind.ts';
import { SpecRepository, type SpecWrite } from './spec.repository.ts';
import { nameScopes, nameTaken } from './name-scope.ts';
import { inTransaction } from './transaction.ts';
import { checkVersion, iso } from './versioning.ts';
import { managerOnCreate, managerOnUpdate, requireWritableBy, storedManager, type ManagedObject } from './managed-by.ts';
import type { Manager } from '../../contract/managed-by.schema.ts';

export interface Caller {
  principal: Principal;
  requestId: string;
  baseUrl: string;
  /** The writer named by the Pharos-Managed-By header (see managed-by.ts); absent: "api". */
  managedBy?: Manager;
}

export interface ListOptions {
  limit: number;
  cursor?: string | undefined;
  team_id?: string | undefined;
  name?: string | undefined;
  service_id?: string | undefined;
  type?: string | undefined;
  tag?: string | string[] | undefined;
  managed_by?: Manager | undefined;
}

export interface Versioned<T> {
  doc: T;
  version: number;
  /** Advice on a write that succeeded (e.g. a monitor no live runner can run); only on create and update. */
  warnings?: ReadonlyArray<Record<string, unknown>>;
}

/** Computes the warnings of a written row inside the write's transaction. */
export type SpecWarnings = (trx: Db, orgId: string, row: SpecRow) => Promise<ReadonlyArray<Record<string, unknown>>>;

/** Parses tag filters "key:value" (repeatable) into a map. */
export function parseTagFilter(tag: string | string[] | undefined): Record<string, string> | undefined {
  if (tag === undefined) return undefined;
  const tags: Record<string, string> = {};
  for (const item of Array.isArray(tag) ? tag : [tag]) {
    const at = item.indexOf(':');
    if (at <= 0) throw new PharosError('bad_request', `The tag filter "${item}" must have the form key:value, e.g. tag=env:prod.`);
    tags[item.slice(0, at)] = item.slice(at + 1);
  }
  return tags;
}

// jsonb stores keys in its own order; responses list fields in the order the contract declares them.
function inSchemaOrder(properties: Record<string, unknown>, doc: Record<string, unknown>): Record<string, unknown> {
  const ordered: Record<string, unknown> = {};
  for (const key of Object.keys(properties)) if (doc[key] !== undefined) ordered[key] = doc[key];
  for (const [key, value] of Object.entries(doc)) if (!(key in ordered)) ordered[key] = value;
  return ordered;
}

/** The response document of a spec row. */
export function presentSpec(kind: SpecKind, row: SpecRow, baseUrl: string): Record<string, unknown> {
  const spec = row.spec as Record<string, unknown>;
  const doc: Record<string, unknown> = {
    id: row.id,
    ...spec,
    // Organization-owned rows (organization routing policies) have no team.
    ...(ownerOf(row) !== null ? { team_id: row.team_id } : {}),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
    version: row.version,
    managed_by: storedManager(row),
  };
  if (kind.secrets) doc.configured_secrets = kind.secrets.configured(row.secrets as Record<string, unknown> | null);
  return inSchemaOrder(kind.output.properties, { ...doc, ...(kind.present?.(row, { baseUrl }) ?? {}) });
}

/** What a write tried to store, for naming the holder of a taken name. */
interface Attempt {
  write?: SpecWrite;
  id?: string;
}

/** Told after a change has committed (e.g. so runners get the new monitor). */
export type SpecChangeListener = (change: { orgId: string; id: string; action: 'create' | 'update' | 'delete' }) => void;

/** Rules, access checks and mapping shared by every spec kind. */
export class SpecService {
  private readonly repo: SpecRepository;

  constructor(
    readonly kind: SpecKind,
    private readonly db: Db,
    private readonly validator: Validator,
    private readonly audit: AuditRepository,
    secrets: SecretBox,
    private readonly onChange?: SpecChangeListener,
    private readonly warnings?: SpecWarnings,
  ) {
    this.repo = new SpecRepository(kind.table, secrets);
  }

  /** The response document of a row. */
  present(row: SpecRow, baseUrl: string): Record<string, unknown> {
    return presentSpec(this.kind, row, baseUrl);
  }

  async list(caller: Caller, options: ListOptions) {
    const rows = await this.repo.list(this.db, caller.principal.orgId, {
      teamIds: visibleTeamIds(caller.principal),
      teamId: options.team_id,
      name: options.name,
      serviceId: options.service_id,
      type: options.type,
      tags: parseTagFilter(options.tag),
      managedBy: options.managed_by,
      after: decodeCursor(options.cursor),
      limit: options.limit,
    });
    return toPage(rows, options.limit, (row) => this.present(row, caller.baseUrl));
  }

  async get(caller: Caller, id: string): Promise<Versioned<Record<string, unknown>>> {
    const row = await this.repo.get(this.db, caller.principal.orgId, id);
    if (!row) throw notFound(this.kind.label);
    requireOwnerAccess(caller.principal, ownerOf(row), 'read', this.kind.label);
    return { doc: this.present(row, caller.baseUrl), version: row.version };
  }

  async create(caller: Caller, input: Record<string, unknown>): Promise<Versioned<Record<string, unknown>>> {
    return this.write(caller, 'create', async (trx, ctx, attempt) => {
      const write = { ...(await this.prepare(ctx, input, undefined)), managed_by: managerOnCreate(caller.managedBy) };
      attempt.write = write;
      const row = await this.repo.insert(trx, caller.principal.orgId, newId(this.kind.idKind), write);
      await this.kind.afterWrite?.(ctx, row);
      const doc = this.present(row, caller.baseUrl);
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'create', resourceType: this.kind.type, resourceId: row.id, teamId: row.team_id, before: undefined, after: doc });
      return { id: row.id, doc, version: row.version, ...(await this.warn(trx, row)) };
    });
  }

  /** PUT (replace) when patch is false, PATCH (JSON merge patch) when true. */
  async update(caller: Caller, id: string, body: Record<string, unknown>, patch: boolean, ifMatch: number | undefined): Promise<Versioned<Record<string, unknown>>> {
    return this.write(caller, 'update', async (trx, ctx, attempt) => {
      attempt.id = id;
      const current = await this.repo.get(trx, caller.principal.orgId, id, true);
      if (!current) throw notFound(this.kind.label);
      requireOwnerAccess(caller.principal, ownerOf(current), 'write', this.kind.label);
      requireWritableBy(caller.managedBy, this.managed(current));
      checkVersion(this.kind.label, id, current.version, ifMatch);
      const stored = current.spec as Record<string, unknown>;
      // Stored secrets no configured key opens: a PUT states the whole object, so it replaces them
      // (Terraform re-sends the secrets it holds); a PATCH would keep them, so it cannot go on.
      if (current.secrets_error && patch) throw current.secrets_error;
      const storedSecrets = current.secrets as Record<string, unknown> | null;
      // Secrets are write-only: a PUT that omits one keeps the stored value. A PATCH applies to the
      // whole document, secrets included, so a secret member set to null is removed (RFC 7396).
      let next = patch ? (mergePatch(this.kind.secrets ? this.kind.secrets.merge(stored, storedSecrets) : stored, body) as Record<string, unknown>) : body;
      if (this.kind.secrets && !patch) next = this.kind.secrets.merge(next, storedSecrets);
      // A PUT body was validated by the route already; a patched or secret-merged document is new.
      if (patch || this.kind.secrets) next = this.validator.body(this.kind.input, structuredClone(next), patch ? 'The patched document' : 'The request body');
      // A Terraform write claims the object (import adoption); the audit entry's before and after show the change of manager.
      const write = { ...(await this.prepare(ctx, next, current)), managed_by: managerOnUpdate(caller.managedBy, storedManager(current)) };
      attempt.write = write;
      const before = this.present(current, caller.baseUrl);
      const row = await this.repo.update(trx, caller.principal.orgId, id, write);
      await this.kind.afterUpdate?.(ctx, current, row);
      await this.kind.afterWrite?.(ctx, row);
      const doc = this.present(row, caller.baseUrl);
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'update', resourceType: this.kind.type, resourceId: id, teamId: row.team_id, before, after: doc });
      return { id, doc, version: row.version, ...(await this.warn(trx, row)) };
    });
  }

  private managed(row: SpecRow): ManagedObject {
    return { what: this.kind.type.replaceAll('_', ' '), name: row.name, managedBy: storedManager(row) };
  }

  private async warn(trx: Db, row: SpecRow): Promise<{ warnings?: ReadonlyArray<Record<string, unknown>> }> {
    const warnings = (await this.warnings?.(trx, row.org_id, row)) ?? [];
    return warnings.length ? { warnings } : {};
  }

  /** Deletes a resource; `options` is the validated delete query (e.g. a service's cascade). */
  async delete(caller: Caller, id: string, ifMatch: number | undefined, options: Record<string, unknown> = {}): Promise<void> {
    await this.write(caller, 'delete', async (trx, ctx) => {
      const current = await this.repo.get(trx, caller.principal.orgId, id, true);
      if (!current) throw notFound(this.kind.label);
      requireOwnerAccess(caller.principal, ownerOf(current), 'write', this.kind.label);
      requireWritableBy(caller.managedBy, this.managed(current));
      checkVersion(this.kind.label, id, current.version, ifMatch);
      const cascaded = (await this.kind.beforeDelete?.(ctx, current, options)) ?? [];
      for (const c of cascaded) {
        await this.audit.record(trx, caller.principal, caller.requestId, { action: 'delete', resourceType: c.resourceType, resourceId: c.resourceId, teamId: c.teamId, before: c.before, after: undefined });
      }
      await this.repo.delete(trx, caller.principal.orgId, id);
      await this.audit.record(trx, caller.principal, caller.requestId, { action: 'delete', resourceType: this.kind.type, resourceId: id, teamId: current.team_id, before: this.present(current, caller.baseUrl), after: undefined });
      return { id };
    });
  }

  private async prepare(ctx: KindContext, doc: Record<string, unknown>, current: SpecRow | undefined): Promise<SpecWrite> {
    const errors = this.kind.rules?.(doc) ?? [];
    if (errors.length) {
      throw new PharosError('validation_failed', `The ${this.kind.label.toLowerCase()} is not consistent: ${errors.map((e) => `${e.pointer} ${e.message}`).join(' ')}`, errors);
    }
    const placement = await this.kind.place(ctx, doc, current);
    if (placement.teamId === null) requireOwnerAccess(ctx.principal, null, 'write', this.kind.label);
    else requireTeamAccess(ctx.principal, placement.teamId, 'write', 'Team');
    if (current && ownerOf(current) !== placement.teamId) requireOwnerAccess(ctx.principal, ownerOf(current), 'write', this.kind.label);
    const { doc: spec, secrets } = this.kind.secrets ? this.kind.secrets.split(doc) : { doc, secrets: null };
    return { team_id: placement.teamId, name: String(doc.name), service_id: placement.serviceId ?? null, type: placement.type ?? null, spec, secrets, ...(this.kind.columns?.(doc, current) ?? {}) };
  }

  private async write<T extends { id: string }>(caller: Caller, action: 'create' | 'update' | 'delete', work: (trx: Db, ctx: KindContext, attempt: Attempt) => Promise<T>): Promise<T> {
    const attempt: Attempt = {};
    const result = await inTransaction(this.db, this.kind.label, (trx) => work(trx, { trx, principal: caller.principal, baseUrl: caller.baseUrl }, attempt), {
      nameTaken: () => this.nameTaken(caller.principal.orgId, attempt),
    });
    this.onChange?.({ orgId: caller.principal.orgId, id: result.id, action });
    return result;
  }

  /** The conflict naming the holder of the name a failed write wanted, if one holds it. */
  private async nameTaken(orgId: string, attempt: Attempt): Promise<PharosError | undefined> {
    if (!attempt.write) return undefined;
    const scope = nameScopes[this.kind.table];
    const holder = await this.repo.nameHolder(this.db, orgId, scope, attempt.write, attempt.id);
    return holder ? nameTaken(this.kind.label, this.kind.type, scope, holder) : undefined;
  }
}
