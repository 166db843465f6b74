import type { ChangeEvent } from '../../../contract/change-event.schema.ts';
import type { LatencySeries } from '../../../contract/latency.schema.ts';

// Pure: the latency answer as uPlot's aligned columns, and the change events inside the window.

/** Colours per region, dark enough for 4.5:1 on white; p95 lines are also dashed, so colour is never alone. */
export const regionColours = ['#0b57d0', '#b3261e', '#17703a', '#8a5300', '#6a1b9a', '#00695c', '#37474f', '#ad1457'];

/** x (epoch seconds, union of every region's steps) and per region a p50 and a p95 column, nulls where a region has no checks. */
export function alignLatency(regions: readonly LatencySeries[]): Array<Array<number | null>> {
  const times = [...new Set(regions.flatMap((r) => r.points.map((p) => Date.parse(p.t) / 1000)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns: Array<Array<number | null>> = [times];
  for (const r of regions) {
    const p50 = new Array<number | null>(times.length).fill(null);
    const p95 = new Array<number | null>(times.length).fill(null);
    for (const p of r.points) {
      const i = index.get(Date.parse(p.t) / 1000)!;
      p50[i] = p.p50;
      p95[i] = p.p95;
    }
    columns.push(p50, p95);
  }
  return columns;
}

/** A change event as a marker: where (epoch seconds) and what it says. */
export interface Marker {
  at: number;
  label: string;
}

/** Markers of the events inside [from, to], oldest first. */
export function markersOf(events: readonly ChangeEvent[], from: string, to: string): Marker[] {
  const start = Date.parse(from);
  const end = Date.parse(to);
  return events
    .filter((e) => Date.parse(e.at) >= start && Date.parse(e.at) <= end)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .map((e) => ({ at: Date.parse(e.at) / 1000, label: `${e.kind.replace(/_/g, ' ')}${e.version ? ` ${e.version}` : ''}` }));
}

/** The latest step of a region that has checks. */
export function latestPoint(r: LatencySeries) {
  return r.points[r.points.length - 1];
}
