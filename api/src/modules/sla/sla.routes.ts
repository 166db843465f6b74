import { SlaDaily, SlaDailyQuery, SlaQuery, SlaReport } from '../../contract/sla.schema.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { IdParams, callerOf } from '../resources/crud.routes.ts';
import type { SlaService } from './sla.service.ts';

/** GET /v1/sla/{monitors,services,dependencies,teams}/{id}: uptime, outages and latency over a window. */
export function slaRoutes(sla: SlaService): AnyRoute[] {
  const subjects = [
    { plural: 'monitors', singular: 'monitor', report: sla.monitor.bind(sla), extra: 'per region' },
    { plural: 'services', singular: 'service', report: sla.service.bind(sla), extra: 'per region and per monitor' },
    { plural: 'dependencies', singular: 'dependency', report: sla.dependency.bind(sla), extra: 'per region and per monitor that checks it' },
    { plural: 'teams', singular: 'team', report: sla.team.bind(sla), extra: 'per region and per service' },
  ] as const;
  const daily = [
    { plural: 'monitors', singular: 'monitor', days: sla.monitorDaily.bind(sla), line: 'its own state (the quorum over its regions)' },
    { plural: 'services', singular: 'service', days: sla.serviceDaily.bind(sla), line: 'its state (the worst of its monitors)' },
  ] as const;
  const dailyRoutes = daily.map(({ plural, singular, days, line }) =>
    defineRoute({
      method: 'get', path: `/v1/sla/${plural}/{id}/daily`, operationId: `get_${singular}_sla_daily`, summary: `Uptime of a ${singular} per UTC day (e.g. for 90-day uptime bars)`, tag: 'SLA', auth: 'principal',
      params: IdParams, query: SlaDailyQuery,
      responses: { 200: { description: `Per UTC day, oldest first, ending with today: uptime ratio, downtime, observed and maintenance time and the worst state, from ${line}; maintenance excluded as in the SLA report.`, schema: SlaDaily } },
      handle: async (req) => ({ status: 200, body: await days(callerOf(req), req.params.id, req.query) }),
    }),
  );
  return [...dailyRoutes, ...subjects.map(({ plural, singular, report, extra }) =>
    defineRoute({
      method: 'get', path: `/v1/sla/${plural}/{id}`, operationId: `get_${singular}_sla`, summary: `SLA figures of a ${singular}, overall and ${extra}`, tag: 'SLA', auth: 'principal',
      params: IdParams, query: SlaQuery,
      responses: { 200: { description: `Uptime, downtime, outages, latency and check counts of the ${singular} over the window.`, schema: SlaReport } },
      handle: async (req) => ({ status: 200, body: await report(callerOf(req), req.params.id, req.query) }),
    }),
  )];
}
