import { useMemo, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import type { ChangeEvent } from '../../../contract/change-event.schema.ts';
import type { MonitorLatency } from '../../../contract/latency.schema.ts';
import { ms, when } from '../format.ts';
import { UplotChart, type ChartOptions } from './chart-uplot.component.tsx';
import { alignLatency, latestPoint, markersOf, regionColours, type Marker } from './chart-latency.data.ts';

/** Draws each change event as a dashed vertical line on the canvas and its label as text in uPlot's overlay (so it is also in the page). */
function markerPlugin(markers: readonly Marker[]): uPlot.Plugin {
  let layer: HTMLDivElement | undefined;
  return {
    hooks: {
      init: (u) => {
        layer = document.createElement('div');
        layer.className = 'chart-markers';
        u.over.appendChild(layer);
      },
      draw: (u) => {
        const { ctx, bbox } = u;
        ctx.save();
        ctx.strokeStyle = '#1a1a1a';
        ctx.setLineDash([4, 4]);
        ctx.lineWidth = Math.max(1, devicePixelRatio);
        for (const m of markers) {
          const x = Math.round(u.valToPos(m.at, 'x', true));
          ctx.beginPath();
          ctx.moveTo(x, bbox.top);
          ctx.lineTo(x, bbox.top + bbox.height);
          ctx.stroke();
        }
        ctx.restore();
        if (!layer) return;
        layer.replaceChildren(...markers.map((m) => {
          const label = document.createElement('span');
          label.className = 'chart-marker';
          label.textContent = m.label;
          const left = u.valToPos(m.at, 'x');
          label.style.left = `${left}px`;
          // Near the right edge the label reads leftwards from its line, so it is never cut off.
          if (left > u.over.clientWidth - 160) label.classList.add('chart-marker-end');
          return label;
        }));
      },
    },
  };
}

/** p50 (solid) and p95 (dashed) per region over the window, with change events marked; a caption with the latest figures and a table alternative. */
export function LatencyChart({ latency, events }: { latency: MonitorLatency; events: readonly ChangeEvent[] }) {
  const [table, setTable] = useState(false);
  const markers = useMemo(() => markersOf(events, latency.from, latency.to), [events, latency.from, latency.to]);
  const data = useMemo(() => alignLatency(latency.regions) as uPlot.AlignedData, [latency]);
  const options = useMemo<ChartOptions>(() => ({
    scales: { x: { time: true, range: [Date.parse(latency.from) / 1000, Date.parse(latency.to) / 1000] }, ms: { auto: true, range: (_u, _min, max) => [0, Math.max(10, max * 1.1)] } },
    axes: [
      { label: 'time (your time zone)' },
      { scale: 'ms', label: 'latency (ms)', values: (_u, splits) => splits.map((v) => ms(v)), size: 64 },
    ],
    series: [
      { label: 'time' },
      ...latency.regions.flatMap((r, i) => {
        const stroke = regionColours[i % regionColours.length]!;
        return [
          { label: `${r.region} p50`, scale: 'ms', stroke, width: 2, spanGaps: false, value: (_u: uPlot, v: number | null) => ms(v) },
          { label: `${r.region} p95`, scale: 'ms', stroke, width: 2, dash: [6, 4], spanGaps: false, value: (_u: uPlot, v: number | null) => ms(v) },
        ];
      }),
    ],
    legend: { live: true },
    plugins: [markerPlugin(markers)],
  }), [latency.regions.map((r) => r.region).join(','), latency.from, latency.to, markers]);
  const withChecks = latency.regions.filter((r) => r.count > 0);
  return (
    <figure class="chart-figure">
      <figcaption id="latency-caption">
        {withChecks.length === 0 ? 'No checks in this window.' : (
          <>
            Latest step ({latency.step_seconds / 60} min):{' '}
            {withChecks.map((r, i) => {
              const p = latestPoint(r)!;
              return <span key={r.region} class="caption-region" data-region={r.region}>{i > 0 ? '; ' : ''}{r.region} p50 <b data-figure="p50" data-value={String(p.p50)}>{ms(p.p50)}</b>, p95 <b data-figure="p95" data-value={String(p.p95)}>{ms(p.p95)}</b></span>;
            })}
            . Over the window: {withChecks.map((r) => `${r.region} p50 ${ms(r.p50)}, p95 ${ms(r.p95)} (${r.count} checks)`).join('; ')}.
          </>
        )}
        {markers.length > 0 ? ` Changes marked: ${markers.length}.` : ''}
      </figcaption>
      {withChecks.length > 0 ? <UplotChart options={options} data={data} label="latency" /> : null}
      <button type="button" class="secondary" aria-expanded={table} onClick={() => setTable(!table)}>{table ? 'Hide the table' : 'Show as table'}</button>
      {table ? (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Latency per step and region">
          <table class="latency-table">
            <thead><tr><th scope="col">step start</th><th scope="col">region</th><th scope="col">p50</th><th scope="col">p95</th><th scope="col">checks</th></tr></thead>
            <tbody>
              {latency.regions.flatMap((r) => r.points.map((p) => (
                <tr key={`${r.region}${p.t}`} data-region={r.region}><td>{when(p.t)}</td><td>{r.region}</td><td>{ms(p.p50)}</td><td>{ms(p.p95)}</td><td>{p.count}</td></tr>
              )))}
            </tbody>
          </table>
        </div>
      ) : null}
      {markers.length > 0 ? (
        <ul class="chart-marker-list" aria-label="Changes in this window">
          {markers.map((m) => <li key={`${m.at}${m.label}`}>{when(new Date(m.at * 1000).toISOString())}: {m.label}</li>)}
        </ul>
      ) : null}
    </figure>
  );
}
