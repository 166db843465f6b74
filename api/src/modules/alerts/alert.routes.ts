import { Page } from '../../contract/common.schema.ts';
import { Alert, AlertDetail, AlertListQuery, AlertRuleStatus } from '../../contract/alert.schema.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { callerOf, IdParams } from '../resources/crud.routes.ts';
import type { AlertService } from './alert.service.ts';

/** GET /v1/alerts, /v1/alerts/{id} and /v1/alert-rules/{id}/status. */
export function alertRoutes(alerts: AlertService): AnyRoute[] {
  const tag = 'Alerting';
  return [
    defineRoute({
      method: 'get', path: '/v1/alerts', operationId: 'list_alerts', summary: 'Alerts (instances of alert rules) of the teams you can see', tag, auth: 'principal',
      query: AlertListQuery,
      responses: { 200: { description: 'A page of alerts, oldest first.', schema: Page(Alert) } },
      handle: async (req) => ({ status: 200, body: await alerts.list(callerOf(req).principal, req.query), headers: { 'Cache-Control': 'no-store' } }),
    }),
    defineRoute({
      method: 'get', path: '/v1/alerts/{id}', operationId: 'get_alert', summary: 'An alert with its history of state changes', tag, auth: 'principal',
      params: IdParams,
      responses: { 200: { description: 'The alert and its history.', schema: AlertDetail } },
      handle: async (req) => ({ status: 200, body: await alerts.get(callerOf(req).principal, req.params.id), headers: { 'Cache-Control': 'no-store' } }),
    }),
    defineRoute({
      method: 'get', path: '/v1/alert-rules/{id}/status', operationId: 'get_alert_rule_status', summary: 'Last evaluation of an alert rule, its error if any, and its alerts', tag, auth: 'principal',
      params: IdParams,
      responses: { 200: { description: 'The rule\'s evaluation status.', schema: AlertRuleStatus } },
      handle: async (req) => ({ status: 200, body: await alerts.ruleStatus(callerOf(req).principal, req.params.id), headers: { 'Cache-Control': 'no-store' } }),
    }),
  ];
}
