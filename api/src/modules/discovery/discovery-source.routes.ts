import { Type } from '@sinclair/typebox';
import { Name, Page } from '../../contract/common.schema.ts';
import { DiscoverySource, DiscoverySourceInput, type DiscoverySourceInput as Input } from '../../contract/discovery.schema.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { callerOf, pageQuery } from '../resources/crud.routes.ts';
import { presentDiscoverySource, type DiscoverySourceService } from './discovery-source.service.ts';

const NameParams = Type.Object({ name: Name });

/** /v1/discovery/sources: the status reports of Kubernetes discovery agents. */
export function discoverySourceRoutes(sources: DiscoverySourceService): AnyRoute[] {
  const tag = 'Discovery';
  const found = { 200: { description: 'The discovery source.', schema: DiscoverySource } };
  return [
    defineRoute({
      method: 'get', path: '/v1/discovery/sources', operationId: 'list_discovery_sources', summary: 'List discovery sources: each agent\'s last sync, counts and per-object errors (any member of the organization)', tag, auth: 'principal',
      query: Type.Object(pageQuery, { additionalProperties: false }),
      responses: { 200: { description: 'A page of sources, in name order.', schema: Page(DiscoverySource) } },
      handle: async (req) => ({ status: 200, body: await sources.list(callerOf(req), req.query as never), headers: { 'Cache-Control': 'no-store' } }),
    }),
    defineRoute({
      method: 'get', path: '/v1/discovery/sources/{name}', operationId: 'get_discovery_source', summary: 'Get a discovery source', tag, auth: 'principal',
      params: NameParams, responses: found,
      handle: async (req) => {
        const row = await sources.get(callerOf(req), req.params.name);
        return { status: 200, body: presentDiscoverySource(row, sources.now()), version: row.version, headers: { 'Cache-Control': 'no-store' } };
      },
    }),
    defineRoute({
      method: 'put', path: '/v1/discovery/sources/{name}', operationId: 'report_discovery_source', summary: 'Report a discovery agent\'s reconciliation: creates the source or replaces its report (team editor on a team, or org admin)', tag, auth: 'principal',
      params: NameParams, body: DiscoverySourceInput, conditional: true,
      responses: { 200: { description: 'The replaced source.', schema: DiscoverySource }, 201: { description: 'The source, reported for the first time.', schema: DiscoverySource } },
      handle: async (req) => {
        const { row, created } = await sources.report(callerOf(req), req.params.name, req.body as Input, req.ifMatch);
        return { status: created ? 201 : 200, body: presentDiscoverySource(row, sources.now()), version: row.version, ...(created ? { headers: { Location: `/v1/discovery/sources/${row.name}` } } : {}) };
      },
    }),
    defineRoute({
      method: 'delete', path: '/v1/discovery/sources/{name}', operationId: 'delete_discovery_source', summary: 'Delete a discovery source whose agent is gone (org admin; the monitors it manages stay)', tag, auth: 'principal',
      params: NameParams, conditional: true, responses: { 204: { description: 'Deleted.' } },
      handle: async (req) => {
        await sources.delete(callerOf(req), req.params.name, req.ifMatch);
        return { status: 204 };
      },
    }),
  ];
}
