import { useCallback, useEffect, useRef } from 'preact/hooks';
import { useLive, type LiveEvent, type LiveStatus } from '../live.ts';
import { coalescedReload, type CoalescedReload } from '../coalesced-reload.ts';

/** Least time between two reloads caused by live changes. */
export const LIVE_RELOAD_MS = 1000;

/**
 * Reloads a view when the live stream reports a change it shows (`matters` picks the events; a
 * reset always counts), at most once per second: changes within a second of the last reload cause
 * one more reload at the end of that second.
 */
export function useLiveReload(reload: () => void, matters: (event: LiveEvent) => boolean): LiveStatus {
  const latest = useRef({ reload, matters });
  latest.current = { reload, matters };
  const throttled = useRef<CoalescedReload | undefined>(undefined);
  throttled.current ??= coalescedReload(async () => latest.current.reload(), LIVE_RELOAD_MS);
  useEffect(() => () => throttled.current?.dispose(), []);
  const onBatch = useCallback((events: LiveEvent[]) => {
    if (events.some((e) => e.type === 'reset' || latest.current.matters(e))) throttled.current?.request();
  }, []);
  return useLive(onBatch);
}
