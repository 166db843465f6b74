import { useEffect, useState } from 'preact/hooks';

/**
 * What the live stream (GET /v1/stream, server-sent events) tells an open page. The server
 * coalesces changes (the latest per subject within a short window) and sends them as batches.
 */
export type LiveEvent =
  | { type: 'state'; subject_type: 'monitor' | 'service' | 'edge'; subject_id: string; region: string | null; from: string; to: string; at: string }
  | { type: 'incident'; incident_id: string; number: number; state: string; change: string; at: string }
  | { type: 'alert'; alert_id: string; rule_id: string; team_id: string; from: string; to: string; at: string }
  /** The page missed events (it was away longer than the server keeps them): reload everything. */
  | { type: 'reset' };

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

/**
 * Calls `onBatch` with each batch of live changes the signed-in principal may see, over one shared
 * connection per tab that reconnects by itself; returns the connection's status for an indicator.
 * (Being built: until then the status stays "connecting" and no batch arrives.)
 */
export function useLive(onBatch: (events: LiveEvent[]) => void): LiveStatus {
  const [status] = useState<LiveStatus>('connecting');
  useEffect(() => void onBatch, [onBatch]);
  return status;
}
