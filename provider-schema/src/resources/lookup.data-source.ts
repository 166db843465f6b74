import type { PharosClient } from '../client/pharos.client.ts';
import type { ObjectValue } from '../codec/value.model.ts';
import { isUnknown } from '../codec/value.model.ts';
import { attributePath } from '../engine/attribute-path.model.ts';
import type { Diagnostics } from '../engine/diagnostics.model.ts';
import type { JsonObject } from '../engine/json-view.mapper.ts';
import type { DataSourceHandler } from '../engine/resource.handler.ts';

type Ctx = Parameters<DataSourceHandler<PharosClient>['read']>[1];

export interface LookupDataSourceOptions<N extends string> {
  readonly typeName: N;
  readonly collectionPath: string;
  /** Finds the object when the configuration names it by something else than its id. */
  readonly find: (config: JsonObject, ctx: Ctx) => Promise<JsonObject>;
  /** Configuration attributes, at least one of which must be set (besides id). */
  readonly keys: readonly string[];
}

/** A data source reading one object by id, or by a natural key through the API's lists. */
export class LookupDataSource<N extends string> implements DataSourceHandler<PharosClient> {
  readonly typeName: N;

  constructor(private readonly opts: LookupDataSourceOptions<N>) {
    this.typeName = opts.typeName;
  }

  validate(config: ObjectValue, diagnostics: Diagnostics): void {
    const set = (name: string) => config[name] !== null && config[name] !== undefined;
    if (set('id') || this.opts.keys.some(set)) return;
    if (['id', ...this.opts.keys].some((k) => isUnknown(config[k] ?? null))) return;
    diagnostics.error(`${this.typeName} needs a key`, `Set id, or ${this.opts.keys.join(' / ')}, to say which object to read.`, attributePath('id'));
  }

  async read(req: { config: JsonObject }, ctx: Ctx): Promise<JsonObject> {
    const id = req.config['id'];
    if (typeof id === 'string' && id !== '') {
      const body = await ctx.client.getOrNull<JsonObject>(`${this.opts.collectionPath}/${encodeURIComponent(id)}`, { operation: `Reading ${this.typeName}`, signal: ctx.signal });
      if (body === null) throw new Error(`No ${this.typeName} with id "${id}" exists, or this token may not see it.`);
      return body;
    }
    return this.opts.find(req.config, ctx);
  }
}
