import type { SlaDay } from '../../../contract/sla.schema.ts';
import type { Slo, SloStatus } from '../../../contract/slo.schema.ts';
import { BudgetChart } from './chart-budget.component.tsx';
import { budgetSeries } from './sla-budget.ts';

export interface SloRow {
  slo: Slo;
  status: SloStatus | undefined;
  /** Daily uptime of its subject over its window (uptime objectives on a monitor or a service). */
  days: SlaDay[] | undefined;
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${v.toFixed(2)} %`);

/** Each objective: attained, budget left, burn rates and status; for uptime objectives of a monitor or service, the budget's burn per day. */
export function SloList({ rows }: { rows: readonly SloRow[] }) {
  if (rows.length === 0) return <p>No SLO is defined for these teams.</p>;
  return (
    <ul class="slo-list">
      {rows.map(({ slo, status, days }) => (
        <li key={slo.id} class="slo" data-slo={slo.id}>
          <h3>{slo.name} <span class={`badge slo-${status?.status ?? 'no_data'}`}>{(status?.status ?? 'no data').replace(/_/g, ' ')}</span></h3>
          <p>
            {slo.objective} objective {slo.target_percent} % over {(slo.window ?? 'rolling_30d').replace(/_/g, ' ')}
            {slo.objective === 'latency' ? ` (checks within ${slo.latency_threshold_ms} ms)` : ''}.
          </p>
          {status ? (
            <dl class="slo-figures">
              <div><dt>attained</dt><dd>{pct(status.attained_percent)}</dd></div>
              <div><dt>error budget left</dt><dd data-figure="budget">{pct(status.error_budget.remaining_percent)}</dd></div>
              <div><dt>burn rate 1 h / 6 h / 24 h</dt><dd>{(['1h', '6h', '24h'] as const).map((k) => (status.burn_rate[k] === null ? '—' : status.burn_rate[k]!.toFixed(2))).join(' / ')}</dd></div>
            </dl>
          ) : <p>Status not available.</p>}
          {days && days.length > 0 ? <BudgetChart points={budgetSeries(days, slo.target_percent)} target={slo.target_percent} name={slo.name} /> : (
            <p class="hint">{slo.objective === 'latency' ? 'The burn per day is drawn for uptime objectives.' : 'The burn per day is drawn for objectives on one monitor or service.'}</p>
          )}
        </li>
      ))}
    </ul>
  );
}
