import { Page } from '../../contract/common.schema.ts';
import { Notification, NotificationDetail, NotificationListQuery } from '../../contract/notification.schema.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { callerOf, IdParams } from '../resources/crud.routes.ts';
import type { NotificationService } from './notification.service.ts';

/** GET /v1/notifications and /v1/notifications/{id}. */
export function notificationRoutes(notifications: NotificationService): AnyRoute[] {
  const tag = 'Alerting';
  return [
    defineRoute({
      method: 'get', path: '/v1/notifications', operationId: 'list_notifications', summary: 'Notifications sent, pending, dead or suppressed, for the channels of the teams you can see', tag, auth: 'principal',
      query: NotificationListQuery,
      responses: { 200: { description: 'A page of notifications, newest first.', schema: Page(Notification) } },
      handle: async (req) => ({ status: 200, body: await notifications.list(callerOf(req).principal, req.query), headers: { 'Cache-Control': 'no-store' } }),
    }),
    defineRoute({
      method: 'get', path: '/v1/notifications/{id}', operationId: 'get_notification', summary: 'A notification with every delivery attempt', tag, auth: 'principal',
      params: IdParams,
      responses: { 200: { description: 'The notification and its attempts.', schema: NotificationDetail } },
      handle: async (req) => ({ status: 200, body: await notifications.get(callerOf(req).principal, req.params.id), headers: { 'Cache-Control': 'no-store' } }),
    }),
  ];
}
