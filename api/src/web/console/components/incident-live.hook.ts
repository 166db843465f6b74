import { useCallback, useEffect, useRef } from 'preact/hooks';
import { useLive, type LiveEvent, type LiveStatus } from '../live.ts';

/** Least time between two reloads caused by live changes. */
export const LIVE_RELOAD_MS = 1000;

/**
 * Reloads a view when the live stream reports a change it shows (`matters` picks the events; a
 * reset always counts), at most once per second: a change within a second of the last reload
 * schedules one more reload at the end of that second.
 */
export function useLiveReload(reload: () => void, matters: (event: LiveEvent) => boolean): LiveStatus {
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef({ reload, matters });
  latest.current = { reload, matters };
  useEffect(() => () => clearTimeout(timer.current), []);
  const onBatch = useCallback((events: LiveEvent[]) => {
    if (!events.some((e) => e.type === 'reset' || latest.current.matters(e))) return;
    if (timer.current !== undefined) return;
    const wait = Math.max(0, last.current + LIVE_RELOAD_MS - Date.now());
    timer.current = setTimeout(() => {
      timer.current = undefined;
      last.current = Date.now();
      latest.current.reload();
    }, wait);
  }, []);
  return useLive(onBatch);
}
