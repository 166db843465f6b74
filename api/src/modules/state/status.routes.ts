import { Type } from '@sinclair/typebox';
import { Id, Page, Region, Timestamp } from '../../contract/common.schema.ts';
import { MonitorState, Status, StoredResult, Transition } from '../../contract/state.schema.ts';
import { resultStatuses } from '../../contract/result.schema.ts';

const resultStatusListPattern = `^(${resultStatuses.join('|')})(,(${resultStatuses.join('|')}))*$`;
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { callerOf, IdParams, pageQuery } from '../resources/crud.routes.ts';
import type { StatusService } from './status.service.ts';

/** /v1/status and the per-monitor state, results and transitions. */
export function statusRoutes(status: StatusService): AnyRoute[] {
  const tag = 'State';
  return [
    defineRoute({
      method: 'get', path: '/v1/status', operationId: 'get_status', summary: 'Every service and monitor you can see, with its state', tag, auth: 'principal',
      query: Type.Object({
        team_id: Type.Optional(Id),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Services per page (with their monitors and edges); absent, the whole board in one answer.' })),
        cursor: pageQuery.cursor,
      }, { additionalProperties: false }),
      responses: { 200: { description: 'The status board, or one page of it by service name (summaries count the whole board).', schema: Status } },
      handle: async (req) => ({ status: 200, body: await status.status(callerOf(req).principal, req.query.team_id, req.query), headers: { 'Cache-Control': 'no-store' } }),
    }),
    defineRoute({
      method: 'get', path: '/v1/monitors/{id}/state', operationId: 'get_monitor_state', summary: 'State of a monitor, overall and per region', tag, auth: 'principal',
      params: IdParams,
      responses: { 200: { description: 'The state.', schema: MonitorState } },
      handle: async (req) => ({ status: 200, body: await status.monitorState(callerOf(req).principal, req.params.id) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/monitors/{id}/results', operationId: 'list_monitor_results', summary: 'Check results of a monitor, newest first', tag, auth: 'principal',
      params: IdParams,
      query: Type.Object({
        ...pageQuery, region: Type.Optional(Region), from: Type.Optional(Timestamp), to: Type.Optional(Timestamp),
        status: Type.Optional(Type.String({ pattern: resultStatusListPattern, description: 'Only results of these statuses, comma-separated, e.g. "down,degraded" for the failures.', errorMessage: 'Must be up, degraded or down, or several of them comma-separated, e.g. "down,degraded".' })),
      }, { additionalProperties: false }),
      responses: { 200: { description: 'A page of results.', schema: Page(StoredResult) } },
      handle: async (req) => ({ status: 200, body: await status.resultPage(callerOf(req).principal, req.params.id, req.query) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/monitors/{id}/transitions', operationId: 'list_monitor_transitions', summary: 'State changes of a monitor and its regions, newest first', tag, auth: 'principal',
      params: IdParams, query: Type.Object(pageQuery, { additionalProperties: false }),
      responses: { 200: { description: 'A page of transitions.', schema: Page(Transition) } },
      handle: async (req) => ({ status: 200, body: await status.transitions(callerOf(req).principal, req.params.id, req.query) }),
    }),
  ];
}
