import type { Alert } from '../../../contract/alert.schema.ts';
import { ago, when } from '../format.ts';
import { SeverityBadge } from './incident-table.component.tsx';

/** Alerts firing now: rule, severity, subject, since when. */
export function TeamAlerts({ alerts }: { alerts: Alert[] }) {
  if (alerts.length === 0) return <p>No alert is firing.</p>;
  return (
    <div class="table-scroll" role="region" aria-label="Firing alerts" tabIndex={0}>
      <table aria-label="Firing alerts">
        <thead>
          <tr><th scope="col">Alert</th><th scope="col">Severity</th><th scope="col">Subject</th><th scope="col">Firing since</th><th scope="col">Message</th></tr>
        </thead>
        <tbody>
          {alerts.map((a) => (
            <tr key={a.id}>
              <td>{a.labels.alertname ?? a.rule_id}</td>
              <td><SeverityBadge severity={a.severity} /></td>
              <td>{[a.labels.service, a.labels.monitor].filter(Boolean).join(' / ') || '—'}</td>
              <td>{a.firing_since ? <time dateTime={a.firing_since} title={when(a.firing_since)}>{ago(a.firing_since)}</time> : '—'}</td>
              <td>{a.annotations.message ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
