import type { IncidentDetail } from '../../../contract/incident.schema.ts';
import { when } from '../format.ts';
import { StateBadge } from './common.component.tsx';
import { SeverityBadge } from './incident-table.component.tsx';

const notificationWords: Record<string, string> = { sent: 'sent', held: 'held', released: 'released (sent after the hold)' };

/** The incident's alerts with what became of their notification (sent, held and why, released), and the notifications that went out. */
export function IncidentAlerts({ detail, teamNames }: { detail: IncidentDetail; teamNames: ReadonlyMap<string, string> }) {
  const held = detail.alerts.filter((a) => a.notification === 'held');
  return (
    <>
      <section class="incident-alerts" aria-labelledby="incident-alerts-heading">
        <h2 id="incident-alerts-heading">Alerts</h2>
        <p>{detail.alerts.length} {detail.alerts.length === 1 ? 'alert' : 'alerts'}, {detail.alerts_firing} firing, {held.length} held.</p>
        <div class="table-scroll" role="region" aria-label="Alerts of the incident" tabIndex={0}>
          <table aria-label="Alerts of the incident">
            <thead>
              <tr><th scope="col">Rule</th><th scope="col">Team</th><th scope="col">Severity</th><th scope="col">State</th><th scope="col">Subject</th><th scope="col">Firing since</th><th scope="col">Notification</th></tr>
            </thead>
            <tbody>
              {detail.alerts.map((a) => (
                <tr key={a.alert_id}>
                  <td>{a.rule_name}</td>
                  <td><a href={`/teams/${a.team_id}`}>{teamNames.get(a.team_id) ?? a.team_id}</a></td>
                  <td><SeverityBadge severity={a.severity} /></td>
                  <td><StateBadge state={a.state} />{a.resolved_at ? <> at <time dateTime={a.resolved_at}>{when(a.resolved_at)}</time></> : null}</td>
                  <td>{a.labels.service ?? a.labels.monitor ?? a.subject?.id ?? '—'}{a.labels.monitor && a.labels.service ? ` / ${a.labels.monitor}` : ''}</td>
                  <td><time dateTime={a.firing_since}>{when(a.firing_since)}</time></td>
                  <td class={`notification-${a.notification}`}>
                    <strong>{notificationWords[a.notification] ?? a.notification}</strong>
                    {a.hold_reason ? <div>Why: {a.hold_reason}</div> : null}
                    {a.hold_until ? <div>Held until <time dateTime={a.hold_until}>{when(a.hold_until)}</time></div> : null}
                    {a.released_at ? <div>Released <time dateTime={a.released_at}>{when(a.released_at)}</time></div> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="incident-notifications" aria-labelledby="incident-notifications-heading">
        <h2 id="incident-notifications-heading">Notifications</h2>
        <p>{detail.notifications.length} sent, {held.length} held{held.length ? ' (listed under Alerts with the reason)' : ''}.</p>
        {detail.notifications.length === 0 ? null : (
          <div class="table-scroll" role="region" aria-label="Notifications sent" tabIndex={0}>
            <table aria-label="Notifications sent">
              <thead>
                <tr><th scope="col">Channel</th><th scope="col">Team</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col">Alerts</th><th scope="col">Created</th><th scope="col">Delivered</th></tr>
              </thead>
              <tbody>
                {detail.notifications.map((n) => (
                  <tr key={n.id}>
                    <td>{n.channel_type}</td>
                    <td>{n.team_id ? teamNames.get(n.team_id) ?? n.team_id : '—'}</td>
                    <td>{n.kind}</td>
                    <td>{n.state}</td>
                    <td>{n.alert_ids.length}</td>
                    <td><time dateTime={n.created_at}>{when(n.created_at)}</time></td>
                    <td>{n.delivered_at ? <time dateTime={n.delivered_at}>{when(n.delivered_at)}</time> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
