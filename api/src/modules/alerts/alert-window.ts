import { parseWindow as parseLanguageWindow } from '../../contract/alert-expression/windows.ts';
import { parseDuration } from '../../shared/duration.ts';
import { minuteResolutionLimitMs, resolutionFor } from '../sla/sla.window.ts';

// Pure: the windows and hold durations of alert rules in milliseconds, and which rollup buckets
// answer a window ending now. Table-tested in api/test/alert-window.test.ts.
// Window strings ("5m", "1h", "7d") have one syntax, the alert language's (contract
// alert-expression/windows.ts: whole minutes, hours or days from 1m to 30d), so the evaluator never
// accepts a window the type checker refused. Hold durations (for, keep_firing_for) use the
// for_duration syntax of the rule contract (api/src/shared/duration.ts: "0s", "30s", "1h30m").
// The resolution rule (minute rollups up to 48 h, hour rollups beyond) is the SLA code's, so an
// alert and an SLA report over the same span read the same rows.

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

export interface DurationBounds {
  min: number;
  max: number;
}

/** Hold durations (for, keep_firing_for): from 0 (at once) to 7 days. */
export const holdDurationBounds: DurationBounds = { min: 0, max: 7 * day };

export type Resolution = 'minute' | 'hour';
export const resolutionMs: Record<Resolution, number> = { minute, hour };

export type DurationParse = { ok: true; ms: number } | { ok: false; message: string };

const show = (ms: number) => (ms === 0 ? '0s' : ms % day === 0 ? `${ms / day}d` : ms % hour === 0 ? `${ms / hour}h` : ms % minute === 0 ? `${ms / minute}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** A hold duration ("0s", "30s", "5m") within bounds, or what to write instead. */
export function parseHoldDuration(text: string, bounds: DurationBounds = holdDurationBounds): DurationParse {
  const ms = parseDuration(text);
  if (ms === undefined) return { ok: false, message: `"${text}" is not a duration; write a number with a unit (ms, s, m, h, d), e.g. "30s", "5m" or "1h30m".` };
  if (ms < bounds.min || ms > bounds.max) return { ok: false, message: `"${text}" is outside ${show(bounds.min)}–${show(bounds.max)}; pick a duration in that range.` };
  return { ok: true, ms };
}

/** A measurement window of the alert language ("5m", "1h", "7d") in milliseconds, or what to write instead. */
export function windowMs(text: string): DurationParse {
  const parsed = parseLanguageWindow(text);
  return parsed.ok ? { ok: true, ms: parsed.minutes * minute } : parsed;
}

/** The rollup resolution that answers a window of this length (minute up to 48 h, hour beyond). */
export const windowResolution = (ms: number): Resolution => resolutionFor({ from: 0, to: ms });

/** Minute rollups answer windows up to this length (the SLA code's limit). */
export const minuteWindowLimitMs = minuteResolutionLimitMs;

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
