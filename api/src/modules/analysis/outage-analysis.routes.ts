import { OutageAnalysis, OutageAnalysisQuery } from '../../contract/outage-analysis.schema.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { callerOf } from '../resources/crud.routes.ts';
import type { OutageAnalysisService } from './outage-analysis.service.ts';

/** GET /v1/analysis/outages: the outage history of a service or a team. */
export function outageAnalysisRoutes(analysis: OutageAnalysisService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/v1/analysis/outages', operationId: 'analyze_outages', summary: 'Outage history of a service (service=) or a team (team=): when outages begin, after which changes, where, how long, with what errors and root causes', tag: 'Incidents', auth: 'principal',
      query: OutageAnalysisQuery,
      responses: { 200: { description: 'Figures over the window and the findings they support.', schema: OutageAnalysis } },
      handle: async (req) => ({ status: 200, body: await analysis.analyze(callerOf(req), req.query), headers: { 'Cache-Control': 'no-store' } }),
    }),
  ];
}
