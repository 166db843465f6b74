import { PharosError } from '../../contract/errors.ts';
import type { slaWindows } from '../../contract/sla.schema.ts';

// Pure: which time span an SLA query covers, and which rollup resolution answers it.

export type SlaWindowLabel = (typeof slaWindows)[number];

const hour = 3_600_000;
const day = 24 * hour;
const rolling: Record<SlaWindowLabel, number> = { '24h': day, '7d': 7 * day, '30d': 30 * day, '90d': 90 * day };

/** Longest from/to span a query may ask for. */
export const maxSpanDays = 400;
/** Windows up to this length read minute rollups, longer ones hour rollups. */
export const minuteResolutionLimitMs = 48 * hour;

export interface SlaWindow {
  from: number;
  to: number;
  label?: SlaWindowLabel;
}

const invalid = (pointer: string, message: string) => new PharosError('validation_failed', `${pointer}: ${message}`, [{ pointer, message }]);

/**
 * The window of a query: from/to when given (to defaults to now, a `to` in the future is cut to
 * now), otherwise the rolling `window` (default 30d) ending now.
 */
export function resolveWindow(query: { window?: SlaWindowLabel | undefined; from?: string | undefined; to?: string | undefined }, now: number): SlaWindow {
  if (query.from === undefined && query.to === undefined) {
    const label = query.window ?? '30d';
    return { from: now - rolling[label], to: now, label };
  }
  if (query.from === undefined) throw invalid('/from', 'from is required when to is given; pass both, or use window=24h|7d|30d|90d.');
  const from = Date.parse(query.from);
  const askedTo = query.to === undefined ? now : Date.parse(query.to);
  if (Number.isNaN(from)) throw invalid('/from', `"${query.from}" is not an RFC 3339 time, e.g. 2026-11-01T00:00:00Z.`);
  if (Number.isNaN(askedTo)) throw invalid('/to', `"${query.to}" is not an RFC 3339 time, e.g. 2026-11-02T00:00:00Z.`);
  if (askedTo <= from) throw invalid('/to', `to (${query.to}) must be after from (${query.from}).`);
  if (askedTo - from > maxSpanDays * day) throw invalid('/from', `The span from ${query.from} to ${query.to ?? 'now'} is longer than ${maxSpanDays} days; ask for a shorter span.`);
  if (from >= now) throw invalid('/from', `from (${query.from}) is in the future; there are no figures yet.`);
  return { from, to: Math.min(askedTo, now) };
}

/** Rollup resolution that answers a window. */
export const resolutionFor = (w: { from: number; to: number }): 'minute' | 'hour' => (w.to - w.from <= minuteResolutionLimitMs ? 'minute' : 'hour');
