import { useMemo, useState } from 'preact/hooks';
import uPlot from 'uplot';
import type { CheckResult } from '../../../contract/result.schema.ts';
import { ms, when } from '../format.ts';
import { UplotChart, type ChartOptions } from './chart-uplot.component.tsx';

/** The phases of a request, in the order they happen. */
export const phases = [
  { key: 'dns_ms', label: 'DNS', colour: '#0b57d0' },
  { key: 'connect_ms', label: 'connect', colour: '#17703a' },
  { key: 'tls_ms', label: 'TLS', colour: '#8a5300' },
  { key: 'first_byte_ms', label: 'first byte', colour: '#6a1b9a' },
  { key: 'download_ms', label: 'download', colour: '#37474f' },
] as const;

type Timed = CheckResult & { timings: NonNullable<CheckResult['timings']> };

/**
 * Stacked bars per result, oldest left: column i+1 holds the sum of the first i+1 phases, and the
 * series are drawn from the tallest sum down, so each phase shows as its own band of the bar.
 */
function stacked(results: readonly Timed[]): Array<Array<number | null>> {
  const x = results.map((_, i) => i);
  const sums = phases.map((_, upTo) => results.map((r) => phases.slice(0, upTo + 1).reduce((sum, p) => sum + (r.timings[p.key] ?? 0), 0)));
  return [x, ...sums.reverse()];
}

/** DNS / connect / TLS / first byte / download of the recent results as stacked bars, with a table alternative. */
export function TimingsChart({ results }: { results: readonly CheckResult[] }) {
  const [table, setTable] = useState(false);
  const timed = useMemo(() => results.filter((r): r is Timed => r.timings !== undefined).slice().reverse(), [results]);
  const data = useMemo(() => stacked(timed) as uPlot.AlignedData, [timed]);
  const options = useMemo<ChartOptions>(() => {
    const bars = uPlot.paths.bars!({ size: [0.7, 24] });
    const own = (phaseIndex: number) => (_u: uPlot, _v: number | null, _s: number, idx: number | null) => (idx === null || !timed[idx] ? '—' : ms(timed[idx]!.timings[phases[phaseIndex]!.key] ?? null));
    return {
      scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] }, ms: { range: (_u, _min, max) => [0, Math.max(10, max * 1.1)] } },
      axes: [
        { label: 'result (oldest left)', values: (_u, splits) => splits.map((i) => (Number.isInteger(i) && timed[i] ? new Date(timed[i]!.started_at).toLocaleTimeString() : '')) },
        { scale: 'ms', label: 'time (ms)', values: (_u, splits) => splits.map((v) => ms(v)), size: 64 },
      ],
      series: [
        { label: 'result', value: (_u, i) => (i === null || !timed[i] ? '—' : `${when(timed[i]!.started_at)} ${timed[i]!.region}`) },
        ...phases.map((_, k) => {
          const phaseIndex = phases.length - 1 - k;
          const p = phases[phaseIndex]!;
          return { label: p.label, scale: 'ms', fill: p.colour, stroke: p.colour, paths: bars, points: { show: false }, value: own(phaseIndex) };
        }),
      ],
      legend: { live: true },
    };
  }, [timed]);
  if (timed.length === 0) return <p>No recent result carries a timing breakdown (only HTTP checks do).</p>;
  const newest = timed[timed.length - 1]!;
  return (
    <figure class="chart-figure">
      <figcaption id="timings-caption">
        Timing of the last {timed.length} results, stacked per result. Newest ({when(newest.started_at)}, {newest.region}):{' '}
        {phases.map((p) => `${p.label} ${ms(newest.timings[p.key] ?? null)}`).join(', ')}; total {ms(newest.timings.total_ms)}.
      </figcaption>
      <UplotChart options={options} data={data} label="timings" height={220} />
      <button type="button" class="secondary" aria-expanded={table} onClick={() => setTable(!table)}>{table ? 'Hide the table' : 'Show as table'}</button>
      {table ? (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Timing breakdown per result">
          <table class="timings-table">
            <thead><tr><th scope="col">started</th><th scope="col">region</th>{phases.map((p) => <th key={p.key} scope="col">{p.label}</th>)}<th scope="col">total</th></tr></thead>
            <tbody>
              {timed.slice().reverse().map((r) => (
                <tr key={r.id}><td>{when(r.started_at)}</td><td>{r.region}</td>{phases.map((p) => <td key={p.key}>{ms(r.timings[p.key] ?? null)}</td>)}<td>{ms(r.timings.total_ms)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </figure>
  );
}
