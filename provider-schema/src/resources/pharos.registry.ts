import type { PharosClient } from '../client/pharos.client.ts';
import { defineRegistry, type HandlerRegistry } from '../engine/handler.registry.ts';
import type { JsonObject } from '../engine/json-view.mapper.ts';
import type { HandlerContext } from '../engine/resource.handler.ts';
import { blockType } from '../schema/block-type.mapper.ts';
import type { ProviderSchemaSet } from '../schema/schema.loader.ts';
import { findBy, isApiId, serviceIdOf, teamIdOf } from './api.lookup.ts';
import { contractValidator } from './config.validator.ts';
import { FieldNameMap } from './field-names.map.ts';
import { IncidentSettingsResource } from './incident-settings.resource.ts';
import { LookupDataSource } from './lookup.data-source.ts';
import { RestResource, type RestResourceOptions } from './rest.resource.ts';

/**
 * Type names of the real Pharos resources and data sources. Adding a name here without a
 * handler below (or the other way round) fails to compile; the start-up check compares the
 * same registry with schema/*.json.
 */
export type PharosResourceName =
  | 'pharos_team'
  | 'pharos_team_member'
  | 'pharos_service'
  | 'pharos_service_dependency'
  | 'pharos_monitor'
  | 'pharos_alert_rule'
  | 'pharos_routing_policy'
  | 'pharos_channel'
  | 'pharos_maintenance_window'
  | 'pharos_slo'
  | 'pharos_runner_token'
  | 'pharos_silence'
  | 'pharos_status_page'
  | 'pharos_incident_settings';
export type PharosDataSourceName = 'pharos_team' | 'pharos_service' | 'pharos_monitor';

type Ctx = HandlerContext<PharosClient>;

/** Splits "a/b" import ids; undefined when the id has no slash. */
function pair(id: string): [string, string] | undefined {
  const at = id.indexOf('/');
  return at > 0 ? [id.slice(0, at), id.slice(at + 1)] : undefined;
}

/** `<team name or id>/<name>` → the object of a team-owned collection with that name. */
function byTeamAndName(collection: string, what: string) {
  return async (id: string, ctx: Ctx): Promise<JsonObject | undefined> => {
    const parts = pair(id);
    if (!parts) return undefined;
    const teamId = await teamIdOf(ctx.client, parts[0], ctx.signal);
    const found = await findBy(ctx.client, collection, { team_id: teamId }, 'name', parts[1], what, ctx.signal);
    return { id: found['id'] };
  };
}

/**
 * A RestResource with the contract's validation and the field map of its type. `schemaType`
 * resolves the wire type lazily from the bound schema (validation runs before any API call).
 */
function rest<N extends PharosResourceName>(schemas: ProviderSchemaSet | undefined, opts: RestResourceOptions<N>): RestResource<N> {
  const fields = FieldNameMap.of(opts.typeName);
  const schema = schemas?.resources.get(opts.typeName);
  return new RestResource({
    ...opts,
    fields,
    ...(schema ? { validate: contractValidator({ typeName: opts.typeName, fields, block: schema.block, type: () => blockType(schema.block), pathFields: opts.pathFields ?? [] }) } : {}),
  });
}

/** The contract's validation of a resource without a RestResource (a singleton); undefined without schemas. */
function contractCheck(schemas: ProviderSchemaSet | undefined, typeName: PharosResourceName) {
  const schema = schemas?.resources.get(typeName);
  return schema && contractValidator({ typeName, fields: FieldNameMap.of(typeName), block: schema.block, type: () => blockType(schema.block) });
}

/** The handlers of the shipped provider; with `schemas`, resources validate against the API contract. */
export function createPharosRegistry(schemas?: ProviderSchemaSet): HandlerRegistry<PharosClient, PharosResourceName, PharosDataSourceName> {
  return defineRegistry<PharosClient, PharosResourceName, PharosDataSourceName>({
    resources: {
      pharos_team: rest(schemas, {
        typeName: 'pharos_team',
        collectionPath: '/v1/teams',
        lookupImportId: async (id, ctx) => (isApiId(id) ? undefined : { id: await teamIdOf(ctx.client, id, ctx.signal) }),
      }),
      pharos_team_member: rest(schemas, {
        typeName: 'pharos_team_member',
        collectionPath: (v) => `/v1/teams/${encodeURIComponent(String(v['team_id']))}/members`,
        pathFields: ['team_id'],
        // "<team>/<member id>" or "<team>/<subject>"; the team by id or name.
        lookupImportId: async (id, ctx) => {
          const parts = pair(id);
          if (!parts) throw new Error(`Import a team member as "<team id or name>/<member id or subject>", e.g. "team_01J…/mem_01J…"; got "${id}".`);
          const teamId = await teamIdOf(ctx.client, parts[0], ctx.signal);
          if (isApiId(parts[1])) return { team_id: teamId, id: parts[1] };
          const member = await findBy(ctx.client, `/v1/teams/${encodeURIComponent(teamId)}/members`, {}, 'subject', parts[1], 'member', ctx.signal);
          return { team_id: teamId, id: member['id'] };
        },
      }),
      pharos_service: rest(schemas, {
        typeName: 'pharos_service',
        collectionPath: '/v1/services',
        lookupImportId: async (id, ctx) => (isApiId(id) ? undefined : { id: await serviceIdOf(ctx.client, id, ctx.signal) }),
      }),
      pharos_service_dependency: rest(schemas, {
        typeName: 'pharos_service_dependency',
        collectionPath: (v) => `/v1/services/${encodeURIComponent(String(v['service_id']))}/dependencies`,
        pathFields: ['service_id'],
        // "<service>/<dependency id>" or "<service>/<depends-on service>"; services by id or name.
        lookupImportId: async (id, ctx) => {
          const parts = pair(id);
          if (!parts) throw new Error(`Import a dependency as "<service id or name>/<dependency id or depends-on service name>"; got "${id}".`);
          const serviceId = await serviceIdOf(ctx.client, parts[0], ctx.signal);
          if (isApiId(parts[1]) && parts[1].startsWith('dep_')) return { service_id: serviceId, id: parts[1] };
          const target = await serviceIdOf(ctx.client, parts[1], ctx.signal);
          const edge = await findBy(ctx.client, `/v1/services/${encodeURIComponent(serviceId)}/dependencies`, {}, 'depends_on_service_id', target, 'dependency', ctx.signal);
          return { service_id: serviceId, id: edge['id'] };
        },
      }),
      pharos_monitor: rest(schemas, {
        typeName: 'pharos_monitor',
        collectionPath: '/v1/monitors',
        // "<service name or id>/<monitor name>"
        lookupImportId: async (id, ctx) => {
          const parts = pair(id);
          if (!parts) return undefined;
          const serviceId = await serviceIdOf(ctx.client, parts[0], ctx.signal);
          const monitor = await findBy(ctx.client, '/v1/monitors', { service_id: serviceId }, 'name', parts[1], 'monitor', ctx.signal);
          return { id: monitor['id'] };
        },
      }),
      pharos_alert_rule: rest(schemas, { typeName: 'pharos_alert_rule', collectionPath: '/v1/alert-rules', lookupImportId: byTeamAndName('/v1/alert-rules', 'alert rule') }),
      pharos_routing_policy: rest(schemas, { typeName: 'pharos_routing_policy', collectionPath: '/v1/routing-policies', lookupImportId: byTeamAndName('/v1/routing-policies', 'routing policy') }),
      pharos_channel: rest(schemas, { typeName: 'pharos_channel', collectionPath: '/v1/channels', lookupImportId: byTeamAndName('/v1/channels', 'channel') }),
      pharos_maintenance_window: rest(schemas, {
        typeName: 'pharos_maintenance_window',
        collectionPath: '/v1/maintenance-windows',
        lookupImportId: byTeamAndName('/v1/maintenance-windows', 'maintenance window'),
      }),
      pharos_slo: rest(schemas, { typeName: 'pharos_slo', collectionPath: '/v1/slos', lookupImportId: byTeamAndName('/v1/slos', 'SLO') }),
      // Silences have no name: imported by id.
      pharos_silence: rest(schemas, { typeName: 'pharos_silence', collectionPath: '/v1/silences' }),
      pharos_status_page: rest(schemas, { typeName: 'pharos_status_page', collectionPath: '/v1/status-pages', lookupImportId: byTeamAndName('/v1/status-pages', 'status page') }),
      // One per organization: PUT to create and update, PUT of the defaults to delete, any import id.
      pharos_incident_settings: new IncidentSettingsResource(contractCheck(schemas, 'pharos_incident_settings')),
      pharos_runner_token: rest(schemas, {
        typeName: 'pharos_runner_token',
        collectionPath: '/v1/runner-tokens',
        lookupImportId: async (id, ctx) => (isApiId(id) ? undefined : { id: (await findBy(ctx.client, '/v1/runner-tokens', {}, 'name', id, 'runner token', ctx.signal))['id'] }),
      }),
    },
    dataSources: {
      pharos_team: new LookupDataSource({
        typeName: 'pharos_team',
        collectionPath: '/v1/teams',
        keys: ['name'],
        find: (config, ctx) => findBy(ctx.client, '/v1/teams', { name: String(config['name']) }, 'name', String(config['name']), 'team', ctx.signal),
      }),
      pharos_service: new LookupDataSource({
        typeName: 'pharos_service',
        collectionPath: '/v1/services',
        keys: ['name'],
        find: (config, ctx) => findBy(ctx.client, '/v1/services', {}, 'name', String(config['name']), 'service', ctx.signal),
      }),
      pharos_monitor: new LookupDataSource({
        typeName: 'pharos_monitor',
        collectionPath: '/v1/monitors',
        keys: ['name'],
        find: async (config, ctx) => {
          const service = config['service_id'] ?? config['service_name'];
          if (typeof service !== 'string' || typeof config['name'] !== 'string') throw new Error('Look a monitor up by id, or by name together with service_id or service_name.');
          const serviceId = await serviceIdOf(ctx.client, service, ctx.signal);
          return findBy(ctx.client, '/v1/monitors', { service_id: serviceId }, 'name', config['name'], 'monitor', ctx.signal);
        },
      }),
    },
  });
}
