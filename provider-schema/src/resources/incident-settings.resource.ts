import type { PharosClient } from '../client/pharos.client.ts';
import type { ObjectValue } from '../codec/value.model.ts';
import type { Diagnostics } from '../engine/diagnostics.model.ts';
import type { JsonObject } from '../engine/json-view.mapper.ts';
import type { HandlerContext, ResourceHandler } from '../engine/resource.handler.ts';
import { blockType } from '../schema/block-type.mapper.ts';

const path = '/v1/incident-settings';
/** The fields of the document; everything else the API answers is computed. */
const fields = ['correlation_window_seconds', 'auto_resolve', 'resolve_after_seconds', 'root_cause_grace_seconds'] as const;
/** The one id of the one object: the settings belong to the organization of the provider's token. */
export const incidentSettingsId = 'organization';

/**
 * pharos_incident_settings: a singleton per organization, so there is nothing to create or
 * delete in the API. Create and update PUT the whole document (unset attributes take their
 * defaults), read GETs it (it always exists), delete PUTs the defaults back (an empty document),
 * and any import id adopts it.
 */
export class IncidentSettingsResource implements ResourceHandler<PharosClient> {
  readonly typeName = 'pharos_incident_settings' as const;
  readonly validate?: (config: ObjectValue, diagnostics: Diagnostics) => void | Promise<void>;

  constructor(validate?: (config: ObjectValue, diagnostics: Diagnostics) => void | Promise<void>) {
    if (validate) this.validate = validate;
  }

  async create(req: { plan: JsonObject }, ctx: HandlerContext<PharosClient>): Promise<JsonObject> {
    return this.put(req.plan, 'Creating', ctx);
  }

  async read(_req: { state: JsonObject }, ctx: HandlerContext<PharosClient>): Promise<JsonObject> {
    return answer(await ctx.client.get<JsonObject>(path, this.options('Reading', ctx)));
  }

  async update(req: { plan: JsonObject }, ctx: HandlerContext<PharosClient>): Promise<JsonObject> {
    return this.put(req.plan, 'Updating', ctx);
  }

  async delete(_req: { state: JsonObject }, ctx: HandlerContext<PharosClient>): Promise<void> {
    await ctx.client.put(path, {}, this.options('Deleting', ctx));
  }

  /** Any import id adopts the settings: when another writer manages them, they are written back as they are, which makes Terraform their manager. */
  async importState(_req?: { id: string }, ctx?: HandlerContext<PharosClient>): Promise<JsonObject> {
    if (ctx) {
      const current = await ctx.client.get<JsonObject>(path, this.options('Importing', ctx));
      if (current['managed_by'] !== 'terraform') await this.put(current, 'Importing', ctx);
    }
    return { id: incidentSettingsId };
  }

  private async put(values: JsonObject, verb: string, ctx: HandlerContext<PharosClient>): Promise<JsonObject> {
    // Null (not configured, no planned default) is left out: the API fills in the default.
    const body = Object.fromEntries(fields.filter((f) => values[f] !== null && values[f] !== undefined).map((f) => [f, values[f]]));
    return answer(await ctx.client.put<JsonObject>(path, body, this.options(verb, ctx)));
  }

  private options(verb: string, ctx: HandlerContext<PharosClient>) {
    return { operation: `${verb} ${this.typeName}`, bodyType: blockType(ctx.schema.block), signal: ctx.signal };
  }
}

const answer = (body: JsonObject): JsonObject => ({ ...body, id: incidentSettingsId });
