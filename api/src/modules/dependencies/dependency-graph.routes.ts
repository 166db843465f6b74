import { DependencyGraph, DependencyGraphQuery } from '../../contract/dependency-graph.schema.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { callerOf } from '../resources/crud.routes.ts';
import type { DependencyGraphService } from './dependency-graph.service.ts';

/** GET /v1/dependency-graph */
export function dependencyGraphRoutes(graph: DependencyGraphService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/v1/dependency-graph', operationId: 'get_dependency_graph', summary: 'Every service and dependency edge you can see, with its state, team and open incident', tag: 'Services', auth: 'principal',
      query: DependencyGraphQuery,
      responses: { 200: { description: 'The graph: services (nodes) and dependency edges. With team, that team\'s services and their direct neighbours (in_scope false). With limit, one page of nodes by name and the edges leaving them.', schema: DependencyGraph } },
      handle: async (req) => ({ status: 200, body: await graph.graph(callerOf(req).principal, req.query.team, req.query), headers: { 'Cache-Control': 'no-store' } }),
    }),
  ];
}
