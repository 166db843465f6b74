import type { PharosClient } from '../client/pharos.client.ts';
import { blockType } from '../schema/block-type.mapper.ts';
import type { JsonObject } from '../engine/json-view.mapper.ts';
import type { DataSourceHandler, HandlerContext, ResourceHandler } from '../engine/resource.handler.ts';

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
}

/**
 * A resource whose attributes are the API object's fields (the Pharos contract keeps them
 * identical): POST to create, GET to read (404 = gone), PATCH with the changed fields to
 * update, DELETE to delete. Real resources are one line each, e.g.
 * `new RestResource({ typeName: 'pharos_team', collectionPath: '/v1/teams' })`.
 */
export class RestResource<N extends string> implements ResourceHandler<PharosClient> {
  readonly typeName: N;

  constructor(private readonly opts: RestResourceOptions<N>) {
    this.typeName = opts.typeName;
  }

  async create(req: { plan: JsonObject }, ctx: HandlerContext<PharosClient>): Promise<JsonObject> {
    // Nulls are left out so the API applies its own defaults.
    const body = withoutNulls(this.opts.toRequest ? this.opts.toRequest(req.plan, 'create') : req.plan);
    return this.answer(await ctx.client.post<JsonObject>(this.collection(req.plan), body, this.requestOptions('Creating', ctx)));
  }

  async read(req: { state: JsonObject }, ctx: HandlerContext<PharosClient>): Promise<JsonObject | null> {
    const body = await ctx.client.getOrNull<JsonObject>(this.itemPath(req.state), this.requestOptions('Reading', ctx));
    return body === null ? null : this.answer(body);
  }

  async update(req: { prior: JsonObject; plan: JsonObject; changed: readonly string[] }, ctx: HandlerContext<PharosClient>): Promise<JsonObject> {
    const shaped = this.opts.toRequest ? this.opts.toRequest(req.plan, 'update') : req.plan;
    // Only what changed; a field removed from the config is sent as null to clear it.
    const body: JsonObject = {};
    for (const name of req.changed) if (name in shaped || name in req.plan) body[name] = shaped[name] ?? null;
    return this.answer(await ctx.client.patch<JsonObject>(this.itemPath(req.prior), body, this.requestOptions('Updating', ctx)));
  }

  async delete(req: { state: JsonObject }, ctx: HandlerContext<PharosClient>): Promise<void> {
    await ctx.client.delete(this.itemPath(req.state), this.requestOptions('Deleting', ctx));
  }

  async importState(req: { id: string }): Promise<JsonObject> {
    if (!this.opts.parseImportId) return { id: req.id };
    return this.opts.parseImportId(req.id);
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
    return this.opts.fromResponse ? this.opts.fromResponse(body) : body;
  }

  private requestOptions(verb: string, ctx: HandlerContext<PharosClient>) {
    return { operation: `${verb} ${this.typeName}`, bodyType: blockType(ctx.schema.block), signal: ctx.signal };
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

function withoutNulls(obj: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== null));
}
