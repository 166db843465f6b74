import { SloStatus } from '../../contract/slo.schema.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { IdParams, callerOf } from '../resources/crud.routes.ts';
import type { SloStatusService } from './slo-status.service.ts';

/** GET /v1/slos/{id}/status: attained level, error budget, burn rates and standing of an objective. */
export function sloStatusRoutes(status: SloStatusService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/v1/slos/{id}/status', operationId: 'get_slo_status', summary: 'Attained level, error budget and burn rate of an SLO in its current window', tag: 'SLA', auth: 'principal',
      params: IdParams,
      responses: { 200: { description: 'Where the objective stands: attained percent, error budget allowed / consumed / remaining, burn rates over 1 h / 6 h / 24 h and status.', schema: SloStatus } },
      handle: async (req) => ({ status: 200, body: await status.status(callerOf(req), req.params.id), headers: { 'Cache-Control': 'no-store' } }),
    }),
  ];
}
