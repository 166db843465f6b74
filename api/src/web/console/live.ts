import { useEffect, useRef, useState } from 'preact/hooks';
import type { LiveEvent } from '../../contract/live.schema.ts';
import type { ApiClient } from './api.client.ts';
import { LiveChannel, type LiveStatus } from './live.channel.ts';
import { useSession } from './session.ts';

/**
 * What the live stream (GET /v1/stream, server-sent events) tells an open page. The server
 * coalesces changes (the latest per subject within a short window) and sends them as batches;
 * `{ type: 'reset' }` means the page missed more than the stream replays: reload everything.
 */
export type { LiveEvent, LiveStatus };

// One channel per signed-in client, so every view and the indicator share the tab's one connection.
const channels = new WeakMap<ApiClient, LiveChannel>();

function channelOf(api: ApiClient): LiveChannel {
  let channel = channels.get(api);
  if (!channel) {
    channel = new LiveChannel({
      headers: () => api.headers(),
      // Asking who we are goes through the client's own 401 handling: it signs out with the reason.
      unauthorized: () => void api.get('/v1/me').catch(() => undefined),
    });
    channels.set(api, channel);
  }
  return channel;
}

/**
 * Calls `onBatch` with each batch of live changes the signed-in principal may see, over one shared
 * connection per tab that reconnects by itself; returns the connection's status for an indicator.
 */
export function useLive(onBatch: (events: LiveEvent[]) => void): LiveStatus {
  const { api } = useSession();
  const [status, setStatus] = useState<LiveStatus>(() => channelOf(api).status);
  // The latest callback, without reconnecting when a view passes a new one at each render.
  const latest = useRef(onBatch);
  latest.current = onBatch;
  useEffect(() => channelOf(api).subscribe({ batch: (events) => latest.current(events), status: setStatus }), [api]);
  return status;
}
