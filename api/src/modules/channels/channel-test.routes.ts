import { ChannelTestResult } from '../../contract/channel-test.schema.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { callerOf, IdParams } from '../resources/crud.routes.ts';
import type { ChannelTestService } from './channel-test.service.ts';

/** POST /v1/channels/{id}/test. */
export function channelTestRoutes(service: ChannelTestService): AnyRoute[] {
  return [
    defineRoute({
      method: 'post', path: '/v1/channels/{id}/test', operationId: 'test_channel',
      summary: 'Send a test notification through a channel and return the vendor\'s answer (team editor)', tag: 'Alerting', auth: 'principal',
      params: IdParams,
      responses: { 200: { description: 'The vendor\'s answer: ok with its status and reply, or the error and whether a notification would be retried. Secrets never appear in it.', schema: ChannelTestResult } },
      handle: async (req) => ({ status: 200, body: await service.test(callerOf(req), req.params.id), headers: { 'Cache-Control': 'no-store' } }),
    }),
  ];
}
