import { MonitorMetrics, MonitorMetricsQuery } from '../../contract/health-metrics.schema.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { callerOf, IdParams } from '../resources/crud.routes.ts';
import type { MetricService } from './metric.service.ts';

/** GET /v1/monitors/{id}/metrics: the health-endpoint metrics of a monitor, rolled up per minute. */
export function metricRoutes(metrics: MetricService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/v1/monitors/{id}/metrics', operationId: 'get_monitor_metrics', summary: 'Health-endpoint metrics of a monitor: min/avg/max/last per step over a window', tag: 'State', auth: 'principal',
      params: IdParams,
      query: MonitorMetricsQuery,
      responses: { 200: { description: 'One series per metric, with a summary of the window.', schema: MonitorMetrics } },
      handle: async (req) => ({ status: 200, body: await metrics.monitorMetrics(callerOf(req).principal, req.params.id, req.query), headers: { 'Cache-Control': 'no-store' } }),
    }),
  ];
}
