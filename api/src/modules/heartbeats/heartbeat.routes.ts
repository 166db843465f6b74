import { Type } from '@sinclair/typebox';
import { StringEnum } from '../../contract/common.schema.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import type { HeartbeatService } from './heartbeat.service.ts';

const Params = Type.Object({ token: Type.String({ minLength: 10, maxLength: 64 }) });
const Query = Type.Object(
  { status: Type.Optional(StringEnum(['up', 'down'] as const, { description: 'down: the job reports its own failure.' })), message: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
);
const Pong = Type.Object({ monitor_id: Type.String(), next_due_at: Type.String({ format: 'date-time' }) });

/** /v1/heartbeats/{token}: jobs call in (no API token: the unguessable URL is the credential). */
export function heartbeatRoutes(heartbeats: HeartbeatService): AnyRoute[] {
  const handle = async (req: { params: { token: string }; query: { status?: 'up' | 'down'; message?: string } }) => ({
    status: 200,
    body: await heartbeats.ping(req.params.token, req.query.status ?? 'up', req.query.message),
  });
  return (['post', 'get'] as const).map((method) =>
    defineRoute({
      method, path: '/v1/heartbeats/{token}', operationId: `heartbeat_${method}`, summary: 'Record a heartbeat of a job (the URL comes from the monitor\'s heartbeat_url)', tag: 'Monitors', auth: 'public',
      params: Params, query: Query, optionalBody: true, bodyTypes: ['text/plain', 'application/octet-stream'],
      responses: { 200: { description: 'Recorded; the next ping is due before next_due_at.', schema: Pong } },
      handle,
    }),
  );
}
