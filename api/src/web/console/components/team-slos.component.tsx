import { percent } from '../format.ts';
import { sloAtRisk, type SloWithStatus } from './team-data.ts';

const statusWords: Record<string, string> = { ok: 'ok', at_risk: 'at risk', breached: 'breached', no_data: 'no data yet' };

/** SLOs with their attained level, status and the share of error budget left. */
export function TeamSlos({ rows }: { rows: SloWithStatus[] }) {
  if (rows.length === 0) return <p>No SLOs. <a href="/sla">SLA and SLOs</a> explains how to add one.</p>;
  return (
    <div class="table-scroll" role="region" aria-label="SLOs" tabIndex={0}>
      <table aria-label="SLOs">
        <thead>
          <tr><th scope="col">SLO</th><th scope="col">Objective</th><th scope="col">Target</th><th scope="col">Attained</th><th scope="col">Status</th><th scope="col">Error budget left</th></tr>
        </thead>
        <tbody>
          {rows.map(({ slo, status, error }) => (
            <tr key={slo.id} class={sloAtRisk({ slo, status }) ? 'slo-at-risk' : undefined}>
              <td>{slo.name}</td>
              <td>{slo.objective}{slo.objective === 'latency' && slo.latency_threshold_ms ? ` ≤ ${slo.latency_threshold_ms} ms` : ''} · {status?.window.label ?? slo.window ?? 'rolling_30d'}</td>
              <td>{slo.target_percent} %</td>
              <td>{status?.attained_percent === null || status === undefined ? '—' : `${status.attained_percent.toFixed(3).replace(/\.?0+$/, '')} %`}</td>
              <td>{error ? <span role="alert">{error}</span> : <span class={`badge slo-${status?.status ?? 'no_data'}`}>{statusWords[status?.status ?? 'no_data']}</span>}</td>
              <td>{status && status.status !== 'no_data' ? percent(status.error_budget.remaining_percent / 100, 1) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
