import { Whoami } from '../../contract/whoami.schema.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { callerOf } from '../resources/crud.routes.ts';
import type { WhoamiService } from './whoami.service.ts';

/** GET /v1/me. */
export function whoamiRoutes(service: WhoamiService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/v1/me', operationId: 'whoami', summary: 'Who your credentials identify: name, organization, org admin or not, your teams and roles, and when the credential expires', tag: 'Teams', auth: 'principal',
      responses: { 200: { description: 'The caller.', schema: Whoami } },
      handle: async (req) => ({ status: 200, body: await service.whoami(callerOf(req).principal), headers: { 'Cache-Control': 'no-store' } }),
    }),
  ];
}
