import { MonitorLatency, MonitorLatencyQuery } from '../../contract/latency.schema.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { IdParams, callerOf } from '../resources/crud.routes.ts';
import type { LatencyService } from './latency.service.ts';

/** GET /v1/monitors/{id}/latency: p50/p95 per region over time. */
export function latencyRoutes(latency: LatencyService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/v1/monitors/{id}/latency', operationId: 'get_monitor_latency', summary: 'Latency of a monitor over time per region (p50 and p95 per step, from rollups)', tag: 'State', auth: 'principal',
      params: IdParams, query: MonitorLatencyQuery,
      responses: { 200: { description: 'Per region the p50, p95 and check count of the window and of each step (chosen by the server, at most 300 per series).', schema: MonitorLatency } },
      handle: async (req) => ({ status: 200, body: await latency.monitor(callerOf(req).principal, req.params.id, req.query) }),
    }),
  ];
}
