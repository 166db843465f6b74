import type { SlaReport } from '../../../contract/sla.schema.ts';
import { duration, ms, percent } from '../format.ts';

const uptime = (r: SlaReport) => (r.uptime_percent === null ? 'no data' : percent(r.uptime_percent / 100, 4));

/** Uptime, downtime, outages, MTTR (from the report's incidents) and p95 per team or per service. */
export function SlaTable({ reports, caption, link }: { reports: readonly SlaReport[]; caption: string; link: (r: SlaReport) => string | undefined }) {
  if (reports.length === 0) return <p>Nothing to show.</p>;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table class="sla-table">
        <caption>{caption}</caption>
        <thead>
          <tr><th scope="col">{reports[0]!.subject.type}</th><th scope="col">uptime</th><th scope="col">downtime</th><th scope="col">outages</th><th scope="col">incidents</th><th scope="col">MTTR</th><th scope="col">p95</th><th scope="col">maintenance</th></tr>
        </thead>
        <tbody>
          {reports.map((r) => {
            const href = link(r);
            return (
              <tr key={r.subject.id} data-subject={r.subject.id}>
                <th scope="row">{href ? <a href={href}>{r.subject.name}</a> : r.subject.name}</th>
                <td data-figure="uptime">{uptime(r)}</td>
                <td>{duration(r.downtime_seconds)}</td>
                <td>{r.outages}</td>
                <td>{r.incidents ? `${r.incidents.count} (${r.incidents.open} open)` : '—'}</td>
                <td>{r.incidents?.mttr_seconds === null || r.incidents?.mttr_seconds === undefined ? '—' : duration(r.incidents.mttr_seconds)}</td>
                <td>{ms(r.latency_ms.p95)}</td>
                <td>{r.excluded_seconds > 0 ? duration(r.excluded_seconds) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
