import type { Principal } from '../../auth/principal.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import type { LiveHub } from './live.hub.ts';

/** GET /v1/stream. */
export function liveRoutes(hub: LiveHub): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/v1/stream', operationId: 'streamLiveUpdates', tag: 'Live', auth: 'principal',
      summary: 'Live changes as server-sent events: state of monitors, services and edges, alerts and incidents you may see, coalesced, resumable with Last-Event-ID',
      responses: {
        200: {
          contentType: 'text/event-stream',
          description:
            'A stream of server-sent events. Each `event: batch` message has `id: <seq>` and `data: {"events": [...]}` with the latest change per subject ' +
            'within a 250 ms window: `{"type":"state","subject_type":"monitor|service|edge","subject_id","region","from","to","at"}`, ' +
            '`{"type":"incident","incident_id","number","state","change","at"}`, `{"type":"alert","alert_id","rule_id","team_id","from","to","at"}`, or ' +
            '`{"type":"reset"}` (reload: more was missed than the stream replays). Send `Last-Event-ID: <id>` when reconnecting to receive what was missed. ' +
            'A comment line every 15 s keeps the connection open; `retry: 3000`. At most 20 open streams per principal (429 rate_limited).',
        },
      },
      handle: async (req) => {
        const last = req.headers['last-event-id'];
        const stream = await hub.admit(req.principal as Principal, Array.isArray(last) ? last[0] : last);
        return { status: 200, contentType: 'text/event-stream; charset=utf-8', stream };
      },
    }),
  ];
}
