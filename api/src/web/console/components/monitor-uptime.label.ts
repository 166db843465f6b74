import type { SlaDay } from '../../../contract/sla.schema.ts';
import { duration, percent } from '../format.ts';

/** What a day's bar says in words: its date, uptime and downtime (its accessible name and tooltip). */
export function dayLabel(d: SlaDay): string {
  if (d.uptime_ratio === null) return `${d.date}: no data${d.maintenance_seconds > 0 ? `, maintenance ${duration(d.maintenance_seconds)}` : ''}`;
  return `${d.date}: ${percent(d.uptime_ratio)} up, down ${duration(d.downtime_seconds)}${d.maintenance_seconds > 0 ? `, maintenance ${duration(d.maintenance_seconds)}` : ''}`;
}
