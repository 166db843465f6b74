import type { ObjectValue } from '../codec/value.model.ts';
import type { SchemaJson } from '../schema/schema-document.model.ts';
import type { Diagnostics } from './diagnostics.model.ts';
import type { JsonObject } from './json-view.mapper.ts';
import type { PrivateState } from './private-state.model.ts';

/** What every handler call gets: the configured API client, a place for diagnostics, private state. */
export interface HandlerContext<C> {
  /** The value ConfigureProvider produced (the Pharos API client in production). */
  readonly client: C;
  readonly diagnostics: Diagnostics;
  /** Read/write; the engine persists it through Terraform's private bytes. */
  readonly private: PrivateState;
  /** Aborted when Terraform calls StopProvider (Ctrl-C). */
  readonly signal: AbortSignal;
  /** The schema bound to this type from schema/*.json. */
  readonly schema: SchemaJson;
}

/**
 * One managed resource type, terraform-plugin-framework style. The engine owns the plan
 * rules, unknowns, defaults, replacement, secrets and private state; a handler only talks to
 * the API. Data in and out is plain JSON keyed by attribute names (the API's field names);
 * the engine converts it against the schema, so fields the schema does not know are ignored
 * and attributes the API does not return become null.
 */
export interface ResourceHandler<C> {
  /** Metadata: the Terraform type name; its schema is looked up in schema/*.json by this name. */
  readonly typeName: string;
  /** Extra checks beyond the schema's; config may hold unknown values (use isUnknown). May be async (lazily loaded rules). */
  validate?(config: ObjectValue, diagnostics: Diagnostics): void | Promise<void>;
  /** Creates the object from the plan (computed attributes are absent) and returns the API's view. */
  create(req: { plan: JsonObject; config: JsonObject }, ctx: HandlerContext<C>): Promise<JsonObject>;
  /** Returns the API's current view, or null when the object is gone (the next plan re-creates it). */
  read(req: { state: JsonObject }, ctx: HandlerContext<C>): Promise<JsonObject | null>;
  /** Updates in place; `changed` lists top-level attributes whose planned value differs from prior state. */
  update(req: { prior: JsonObject; plan: JsonObject; config: JsonObject; changed: readonly string[] }, ctx: HandlerContext<C>): Promise<JsonObject>;
  /** Deletes; an object already gone must count as success. */
  delete(req: { state: JsonObject }, ctx: HandlerContext<C>): Promise<void>;
  /** Turns an import id into a (partial) state for a following read; default: `{ id }`. */
  importState?(req: { id: string }, ctx: HandlerContext<C>): Promise<JsonObject>;
  /** Migrates raw stored state written under an older schema version, before new attributes are filled with null. */
  upgradeState?(req: { fromVersion: number; state: JsonObject }): JsonObject;
}

/** One data source type: reads an object by its configuration. */
export interface DataSourceHandler<C> {
  readonly typeName: string;
  validate?(config: ObjectValue, diagnostics: Diagnostics): void | Promise<void>;
  /** Returns the object; attributes set in config keep their configured values. */
  read(req: { config: JsonObject }, ctx: Omit<HandlerContext<C>, 'private'>): Promise<JsonObject>;
}

/** Provider-level configuration: validates the provider block and builds the client handlers use. */
export interface ProviderConfigurer<C> {
  validate?(config: ObjectValue, diagnostics: Diagnostics): void;
  /** Builds the client; returning undefined means configuration failed (diagnostics say why). */
  configure(config: JsonObject, diagnostics: Diagnostics): Promise<C | undefined> | C | undefined;
}
