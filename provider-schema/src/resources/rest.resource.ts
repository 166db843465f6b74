import type { PharosClient } from '../client/pharos.client.ts';
import type { ObjectValue } from '../codec/value.model.ts';
import type { Diagnostics } from '../engine/diagnostics.model.ts';
import { blockType } from '../schema/block-type.mapper.ts';
import type { BlockJson } from '../schema/schema-document.model.ts';
import type { JsonObject } from '../engine/json-view.mapper.ts';
import type { DataSourceHandler, HandlerContext, ResourceHandler } from '../engine/resource.handler.ts';
import { FieldNameMap } from './field-names.map.ts';

export interface RestResourceOptions<N extends string> {
  readonly typeName: N;
  /**
   * Collection path, e.g. /v1/teams; objects live at <collection>/<id>. A function derives it
   * from the object's values for nested collections, e.g. (v) => `/v1/teams/${v.team_id}/members`.
   */
  readonly collectionPath: string | ((values: JsonObject) => string);
  /**
   * Turns a `terraform import` id into the values the read needs; default `{ id }`. Nested
   * collections use composite ids, e.g. "team-1/member-7" → { team_id: "team-1", id: "member-7" }.
   */
  readonly parseImportId?: (id: string) => JsonObject;
  /** Shapes the request body from planned values when Terraform attributes and API fields differ. */
  readonly toRequest?: (plan: JsonObject, op: 'create' | 'update') => JsonObject;
  /** Shapes an API answer into attribute values when they differ. */
  readonly fromResponse?: (body: JsonObject) => JsonObject;
  /** Block ↔ field renames (field-names.map.ts); default: the map registered for typeName. */
  readonly fields?: FieldNameMap;
  /** Attributes that live in the URL (e.g. team_id of a member), never in the request body. */
  readonly pathFields?: readonly string[];
  /**
   * Resolves import ids that are not plain ids (natural keys such as a team name) through the
   * API; returns the values the read needs, or undefined to fall back to parseImportId / `{ id }`.
   */
  readonly lookupImportId?: (id: string, ctx: HandlerContext<PharosClient>) => Promise<JsonObject | undefined>;
  /** Validation at validate/plan time (e.g. the contract's schema and rules). */
  readonly validate?: (config: ObjectValue, diagnostics: Diagnostics) => void | Promise<void>;
}

/**
 * A resource whose attributes are the API object's fields (the Pharos contract keeps them
 * identical): POST to create, GET to read (404 = gone), PATCH with the changed fields to
 * update, DELETE to delete. Real resources are one line each, e.g.
 * `new RestResource({ typeName: 'pharos_team', collectionPath: '/v1/teams' })`.
 */
export class RestResource<N extends string> implements ResourceHandler<PharosClient> {
  readonly typeName: N;
  readonly validate?: (config: ObjectValue, diagnostics: Diagnostics) => void | Promise<void>;
  /** Attributes that are URL parts, not body fields (read by the parity test). */
  readonly pathFields: readonly string[];
  private readonly fields: FieldNameMap;

  constructor(private readonly opts: RestResourceOptions<N>) {
    this.typeName = opts.typeName;
    this.fields = opts.fields ?? FieldNameMap.of(opts.typeName);
    this.pathFields = opts.pathFields ?? [];
    if (opts.validate) this.validate = opts.validate;
  }

  async create(req: { plan: JsonObject }, ctx: HandlerContext<PharosClient>): Promise<JsonObject> {
    // Nulls are left out (also inside blocks) so the API applies its own defaults.
    const body = deepWithoutNulls(this.body(req.plan, 'create', ctx.schema.block)) as JsonObject;
    const created = await ctx.client.post<JsonObject>(this.collection(req.plan), body, this.requestOptions('Creating', ctx));
    this.warn(created, ctx);
    return this.answer(created);
  }

  async read(req: { state: JsonObject }, ctx: HandlerContext<PharosClient>): Promise<JsonObject | null> {
    const body = await ctx.client.getOrNull<JsonObject>(this.itemPath(req.state), this.requestOptions('Reading', ctx));
    return body === null ? null : this.answer(body);
  }

  async update(req: { prior: JsonObject; plan: JsonObject; changed: readonly string[] }, ctx: HandlerContext<PharosClient>): Promise<JsonObject> {
    const shaped = this.body(req.plan, 'update', ctx.schema.block);
    const before = this.body(req.prior, 'update', ctx.schema.block);
    // Only what changed, as a JSON merge patch (RFC 7396): a field or map key removed from the
    // config is sent as null to clear it, also inside blocks; lists are replaced whole.
    const body: JsonObject = {};
    for (const name of req.changed) {
      if (this.opts.pathFields?.includes(name)) continue;
      const rest = this.fields.restName(name);
      if (rest in shaped || name in req.plan) body[rest] = mergePatchOf(before[rest] ?? null, shaped[rest] ?? null);
    }
    const updated = await ctx.client.patch<JsonObject>(this.itemPath(req.prior), body, this.requestOptions('Updating', ctx));
    this.warn(updated, ctx);
    return this.answer(updated);
  }

  // Some writes succeed with advice (a dependency that closes a cycle, a monitor no live runner can
  // run): show it as a warning of the apply.
  private warn(answer: JsonObject, ctx: HandlerContext<PharosClient>): void {
    const warnings = Array.isArray(answer['warnings']) ? (answer['warnings'] as { message?: unknown }[]) : [];
    for (const w of warnings) ctx.diagnostics.warning(`${this.typeName}: the API accepted this with a warning`, String(w.message ?? JSON.stringify(w)));
  }

  async delete(req: { state: JsonObject }, ctx: HandlerContext<PharosClient>): Promise<void> {
    await ctx.client.delete(this.itemPath(req.state), this.requestOptions('Deleting', ctx));
  }

  async importState(req: { id: string }, ctx?: HandlerContext<PharosClient>): Promise<JsonObject> {
    const found = ctx && this.opts.lookupImportId ? await this.opts.lookupImportId(req.id, ctx) : undefined;
    const values = found ?? (this.opts.parseImportId ? this.opts.parseImportId(req.id) : { id: req.id });
    if (ctx) await this.claim(values, ctx);
    return values;
  }

  /**
   * `terraform import` adopts the object: one empty merge patch, sent like every write with
   * Pharos-Managed-By: terraform, makes Terraform its manager (the discovery agent stops reconciling
   * it), so the state read after the import and the next plan show managed_by = "terraform".
   */
  private async claim(values: JsonObject, ctx: HandlerContext<PharosClient>): Promise<void> {
    const current = await ctx.client.getOrNull<JsonObject>(this.itemPath(values), this.requestOptions('Importing', ctx));
    // A missing object is reported by the read that follows the import.
    if (current === null || current['managed_by'] === 'terraform') return;
    await ctx.client.patch<JsonObject>(this.itemPath(values), {}, this.requestOptions('Importing', ctx));
  }

  /** Terraform values → request body: the hook, path fields removed, REST names. */
  private body(values: JsonObject, op: 'create' | 'update', block: BlockJson): JsonObject {
    const shaped = { ...(this.opts.toRequest ? this.opts.toRequest(emptyBlockListsAsNull(block, values), op) : emptyBlockListsAsNull(block, values)) };
    for (const name of this.opts.pathFields ?? []) delete shaped[name];
    // Read-only: the manager is set by the Pharos-Managed-By header the client sends, never by a field.
    delete shaped['managed_by'];
    return this.fields.toRest(shaped);
  }

  private collection(values: JsonObject): string {
    return typeof this.opts.collectionPath === 'string' ? this.opts.collectionPath : this.opts.collectionPath(values);
  }

  private itemPath(state: JsonObject): string {
    const id = state['id'];
    if (typeof id !== 'string' || id === '') throw new Error(`${this.typeName} has no id in its state`);
    return `${this.collection(state)}/${encodeURIComponent(id)}`;
  }

  private answer(body: JsonObject): JsonObject {
    const named = this.fields.toTerraform(body);
    return this.opts.fromResponse ? this.opts.fromResponse(named) : named;
  }

  private requestOptions(verb: string, ctx: HandlerContext<PharosClient>) {
    return { operation: `${verb} ${this.typeName}`, bodyType: blockType(ctx.schema.block), translatePointer: (p: string) => this.fields.pointerToTerraform(p), signal: ctx.signal };
  }
}

/** A data source reading one API object by id: GET <collection>/<id>. */
export class RestDataSource<N extends string> implements DataSourceHandler<PharosClient> {
  constructor(
    readonly typeName: N,
    private readonly collectionPath: string,
  ) {}

  async read(req: { config: JsonObject }, ctx: Parameters<DataSourceHandler<PharosClient>['read']>[1]): Promise<JsonObject> {
    const id = String(req.config['id'] ?? '');
    const body = await ctx.client.getOrNull<JsonObject>(`${this.collectionPath}/${encodeURIComponent(id)}`, { operation: `Reading ${this.typeName}`, signal: ctx.signal });
    if (body === null) throw new Error(`No ${this.typeName} with id "${id}" exists, or this token may not see it.`);
    return body;
  }
}

/**
 * Terraform has no null for repeated blocks: no `step { … }` is an empty list. For the API an
 * absent list (null) is the same thing, and the only form valid where a list needs items.
 */
export function emptyBlockListsAsNull(block: BlockJson, values: JsonObject): JsonObject {
  const out: JsonObject = { ...values };
  for (const [name, nb] of Object.entries(block.block_types ?? {})) {
    const v = out[name];
    if (Array.isArray(v)) {
      out[name] = v.length === 0 ? null : v.map((el) => (el && typeof el === 'object' && !Array.isArray(el) ? emptyBlockListsAsNull(nb.block, el as JsonObject) : el));
    } else if (v && typeof v === 'object') out[name] = emptyBlockListsAsNull(nb.block, v as JsonObject);
  }
  return out;
}

/** Drops nulls everywhere: objects lose null fields, lists lose null elements. */
export function deepWithoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(deepWithoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as JsonObject)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, deepWithoutNulls(v)]),
  );
}

/** The merge patch turning `prior` into `next`: removed keys become null, objects recurse, lists are replaced whole (without nulls). */
export function mergePatchOf(prior: unknown, next: unknown): unknown {
  if (next === null || typeof next !== 'object') return next;
  if (Array.isArray(next)) return deepWithoutNulls(next);
  const before = prior !== null && typeof prior === 'object' && !Array.isArray(prior) ? (prior as JsonObject) : {};
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(next as JsonObject)) out[k] = v === null ? null : mergePatchOf(before[k] ?? null, v);
  for (const k of Object.keys(before)) if (!(k in out)) out[k] = null;
  return out;
}
