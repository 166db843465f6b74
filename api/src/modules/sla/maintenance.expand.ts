import { CronExpressionParser } from 'cron-parser';
import type { MaintenanceWindowInput } from '../../contract/alerting.schema.ts';
import { parseDuration } from '../../shared/duration.ts';
import { clip, union, type Interval } from './sla.math.ts';

// Pure: turns maintenance windows into the time they take out of SLA figures. cron-parser does the
// calendar work (time zones, daylight saving, day-of-week/day-of-month rules).

/** A stored maintenance window as the SLA queries need it. */
export interface MaintenanceWindowDoc extends Pick<MaintenanceWindowInput, 'starts_at' | 'ends_at' | 'recurrence' | 'service_ids' | 'monitor_ids' | 'exclude_from_sla'> {
  id: string;
  name: string;
  team_id: string;
}

/** Upper limit of occurrences expanded per window and query ("* * * * *" over 90 days is 130k). */
export const maxOccurrences = 50_000;

/**
 * The spans of a window inside `range`. Without recurrence: starts_at..ends_at. With recurrence:
 * one span of `duration` per cron start, for starts in [starts_at, ends_at), each cut at ends_at;
 * a span that started before `range` but still runs into it is included.
 */
export function expandWindow(w: Pick<MaintenanceWindowDoc, 'starts_at' | 'ends_at' | 'recurrence'>, range: Interval, limit = maxOccurrences): Interval[] {
  const bounds: Interval = { start: Date.parse(w.starts_at), end: Date.parse(w.ends_at) };
  if (!(bounds.end > bounds.start)) return [];
  if (!w.recurrence) return clip([bounds], range);
  const length = parseDuration(w.recurrence.duration);
  if (length === undefined || length <= 0) return [];
  const first = Math.max(bounds.start, range.start - length);
  const last = Math.min(bounds.end, range.end);
  if (first >= last) return [];
  let cron: ReturnType<typeof CronExpressionParser.parse>;
  try {
    // cron-parser yields times strictly after currentDate, so start one millisecond early.
    cron = CronExpressionParser.parse(w.recurrence.cron, { tz: w.recurrence.timezone ?? 'UTC', currentDate: new Date(first - 1), endDate: new Date(last - 1) });
  } catch {
    // Validated on write; a window that no longer parses (e.g. a time zone dropped from ICU) excludes nothing.
    return [];
  }
  const spans: Interval[] = [];
  for (let n = 0; n < limit && cron.hasNext(); n++) {
    const start = cron.next().getTime();
    if (start >= last) break;
    spans.push({ start, end: Math.min(start + length, bounds.end) });
  }
  return clip(union(spans), range);
}

/** Whether a window takes time out of a monitor's figures. */
export function coversMonitor(w: MaintenanceWindowDoc, monitor: { id: string; service_id: string; team_id: string }): boolean {
  if (w.exclude_from_sla === false) return false;
  const monitors = w.monitor_ids ?? [];
  const services = w.service_ids ?? [];
  if (monitors.length === 0 && services.length === 0) return w.team_id === monitor.team_id;
  return monitors.includes(monitor.id) || services.includes(monitor.service_id);
}

/** Whether a window takes time out of a service's figures (windows naming only some monitors do not). */
export function coversService(w: MaintenanceWindowDoc, service: { id: string; team_id: string }): boolean {
  if (w.exclude_from_sla === false) return false;
  const monitors = w.monitor_ids ?? [];
  const services = w.service_ids ?? [];
  if (monitors.length === 0 && services.length === 0) return w.team_id === service.team_id;
  return services.includes(service.id);
}

/** One window's spans within the range, with its id and name for the report. */
export interface ExpandedWindow {
  id: string;
  name: string;
  spans: Interval[];
}

/** Expands the windows that pass `covers`, dropping those with no time inside the range. */
export function excludedWindows(windows: readonly MaintenanceWindowDoc[], covers: (w: MaintenanceWindowDoc) => boolean, range: Interval): ExpandedWindow[] {
  return windows
    .filter(covers)
    .map((w) => ({ id: w.id, name: w.name, spans: expandWindow(w, range) }))
    .filter((w) => w.spans.length > 0);
}
