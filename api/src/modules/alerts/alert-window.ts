import { parseWindow as parseLanguageWindow } from '../../contract/alert-expression/windows.ts';
import { resolutionFor } from '../sla/sla.window.ts';

// Pure: the windows of alert rules in milliseconds, and which rollup buckets answer a window ending
// now. Table-tested in api/test/alert-window.test.ts.
// Window strings ("5m", "1h", "7d") have one syntax, the alert language's (contract
// alert-expression/windows.ts: whole minutes, hours or days from 1m to 30d), so the evaluator never
// accepts a window the type checker refused. (Hold durations, for and keep_firing_for, are read by
// instanceSpecOf in alert-instance.machine.ts.)
// The resolution rule (minute rollups up to 48 h, hour rollups beyond) is the SLA code's, so an
// alert and an SLA report over the same span read the same rows.

const minute = 60_000;
const hour = 60 * minute;

export type Resolution = 'minute' | 'hour';
export const resolutionMs: Record<Resolution, number> = { minute, hour };

export type DurationParse = { ok: true; ms: number } | { ok: false; message: string };

/** A measurement window of the alert language ("5m", "1h", "7d") in milliseconds, or what to write instead. */
export function windowMs(text: string): DurationParse {
  const parsed = parseLanguageWindow(text);
  return parsed.ok ? { ok: true, ms: parsed.minutes * minute } : parsed;
}

/** The rollup resolution that answers a window of this length (minute up to 48 h, hour beyond). */
export const windowResolution = (ms: number): Resolution => resolutionFor({ from: 0, to: ms });

export interface RollupRange {
  resolution: Resolution;
  /** Start of the first bucket read. */
  from: number;
  /** Start of the last bucket read: the one holding `now`, still filling. */
  lastBucket: number;
  buckets: number;
}

/**
 * The rollup buckets that answer a window ending at `now`: ⌈window / bucket⌉ buckets ending with the
 * one that holds `now`. The current bucket is read while it fills, so a result committed a moment
 * ago counts at once (event-driven evaluation needs it); the window therefore covers between
 * (buckets − 1) and `buckets` whole buckets of time. A window over 48 h that is not a whole number of
 * hours (e.g. "2881m") is read as the whole hours that contain it.
 */
export function rollupRange(ms: number, now: number): RollupRange {
  const resolution = windowResolution(ms);
  const step = resolutionMs[resolution];
  const buckets = Math.max(1, Math.ceil(ms / step));
  const lastBucket = Math.floor(now / step) * step;
  return { resolution, from: lastBucket - (buckets - 1) * step, lastBucket, buckets };
}
