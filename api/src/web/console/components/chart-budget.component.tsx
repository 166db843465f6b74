import { useMemo, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { UplotChart, type ChartOptions } from './chart-uplot.component.tsx';
import type { BudgetPoint } from './sla-budget.ts';

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v.toFixed(2)} %`);

/** An objective's error budget remaining per day (solid) and its cumulative uptime against the target (dashed line), with a table alternative. */
export function BudgetChart({ points, target, name }: { points: readonly BudgetPoint[]; target: number; name: string }) {
  const [table, setTable] = useState(false);
  const data = useMemo(() => [points.map((p) => Date.parse(`${p.date}T00:00:00Z`) / 1000), points.map((p) => p.remaining), points.map((p) => p.attained), points.map(() => target)] as uPlot.AlignedData, [points, target]);
  const options = useMemo<ChartOptions>(() => {
    const low = Math.min(target, ...points.map((p) => p.attained ?? 100));
    return {
      scales: { x: { time: true }, budget: { range: (_u, min) => [Math.min(0, min), 100] }, uptime: { range: [Math.max(0, low - (100 - low) * 0.5 - 0.01), 100] } },
      axes: [
        { label: 'day (UTC)' },
        { scale: 'budget', label: 'budget left (%)', values: (_u, s) => s.map((v) => `${v} %`), size: 80 },
        { scale: 'uptime', side: 1, label: 'uptime (%)', values: (_u, s) => s.map((v) => `${v} %`), size: 70, grid: { show: false } },
      ],
      series: [
        { label: 'day' },
        { label: 'budget left', scale: 'budget', stroke: '#0b57d0', width: 2, value: (_u, v) => pct(v) },
        { label: 'uptime so far', scale: 'uptime', stroke: '#17703a', width: 2, dash: [2, 3], value: (_u, v) => pct(v) },
        { label: `target ${target} %`, scale: 'uptime', stroke: '#b3261e', width: 1.5, dash: [8, 4], points: { show: false }, value: (_u, v) => pct(v) },
      ],
    };
  }, [points, target]);
  const last = points[points.length - 1];
  return (
    <figure class="chart-figure">
      <figcaption>
        {name}: budget left {pct(last?.remaining)} after {points.length} days, uptime so far {pct(last?.attained)} against a target of {target} %.
      </figcaption>
      <UplotChart options={options} data={data} label="budget" height={200} />
      <button type="button" class="secondary" aria-expanded={table} onClick={() => setTable(!table)}>{table ? 'Hide the table' : 'Show as table'}</button>
      {table ? (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={`${name}: budget per day`}>
          <table>
            <thead><tr><th scope="col">day (UTC)</th><th scope="col">budget left</th><th scope="col">uptime so far</th></tr></thead>
            <tbody>{points.map((p) => <tr key={p.date}><td>{p.date}</td><td>{pct(p.remaining)}</td><td>{pct(p.attained)}</td></tr>)}</tbody>
          </table>
        </div>
      ) : null}
    </figure>
  );
}
