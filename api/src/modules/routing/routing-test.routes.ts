import { RoutingTestInput, RoutingTestResult, type RoutingTestInput as Input } from '../../contract/routing.schema.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { callerOf } from '../resources/crud.routes.ts';
import type { RoutingTestService } from './routing-test.service.ts';

/** POST /v1/routing-policies/test */
export function routingTestRoutes(service: RoutingTestService): AnyRoute[] {
  return [
    defineRoute({
      method: 'post', path: '/v1/routing-policies/test', operationId: 'test_routing_policies',
      summary: 'Which policies take an alert with these labels, which channels it would notify, its group and whether it is muted now (reads only)',
      tag: 'Alerting', auth: 'principal',
      body: RoutingTestInput,
      responses: { 200: { description: 'The routes of the alert, in notification order.', schema: RoutingTestResult } },
      handle: async (req) => ({ status: 200, body: await service.test(callerOf(req).principal, req.body as Input), headers: { 'Cache-Control': 'no-store' } }),
    }),
  ];
}
