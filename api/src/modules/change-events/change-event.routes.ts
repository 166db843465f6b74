import { Page } from '../../contract/common.schema.ts';
import { ChangeEvent, ChangeEventInput, ChangeEventListQuery } from '../../contract/change-event.schema.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { IdParams, callerOf } from '../resources/crud.routes.ts';
import { presentChangeEvent, type ChangeEventService } from './change-event.service.ts';

/** /v1/events: change events (deploys, config changes, flag flips) reported by CI/CD. */
export function changeEventRoutes(events: ChangeEventService): AnyRoute[] {
  const tag = 'Incidents';
  return [
    defineRoute({
      method: 'post', path: '/v1/events', operationId: 'create_change_event', summary: 'Report a change event of a service: a deploy, config change, feature-flag flip or rollback (team editor of the service\'s team)', tag, auth: 'principal',
      body: ChangeEventInput, idempotent: true,
      responses: { 201: { description: 'The recorded change event.', schema: ChangeEvent } },
      handle: async (req) => {
        const body = presentChangeEvent(await events.create(callerOf(req), req.body));
        return { status: 201, body, headers: { Location: `/v1/events/${body.id}` } };
      },
    }),
    defineRoute({
      method: 'get', path: '/v1/events', operationId: 'list_change_events', summary: 'Change events of the services you can see', tag, auth: 'principal',
      query: ChangeEventListQuery,
      responses: { 200: { description: 'A page of change events, newest first (by at).', schema: Page(ChangeEvent) } },
      handle: async (req) => ({ status: 200, body: await events.list(callerOf(req), req.query) }),
    }),
    defineRoute({
      method: 'get', path: '/v1/events/{id}', operationId: 'get_change_event', summary: 'A change event', tag, auth: 'principal',
      params: IdParams,
      responses: { 200: { description: 'The change event.', schema: ChangeEvent } },
      handle: async (req) => ({ status: 200, body: presentChangeEvent(await events.get(callerOf(req), req.params.id)) }),
    }),
  ];
}
