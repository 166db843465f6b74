import type { IncidentDetail } from '../../../contract/incident.schema.ts';
import { when } from '../format.ts';
import { StateBadge } from './common.component.tsx';

type Evidence = { subject?: string; monitor_id?: string; monitor?: string; region?: string; state?: string; since?: string; error?: string; status_code?: number; trace_id?: string };
type Node = IncidentDetail['impacted'][number] & { impact?: string; reason?: string };

/** The probable root cause, why (its evidence: monitors, regions, first failure, error codes, trace ids), and what it impacts. */
export function IncidentCause({ detail, teamNames }: { detail: IncidentDetail; teamNames: ReadonlyMap<string, string> }) {
  const root = detail.root_cause;
  const evidence = detail.evidence as Evidence[];
  const impacted = detail.impacted as Node[];
  return (
    <>
      <section class="incident-cause" aria-labelledby="incident-cause-heading">
        <h2 id="incident-cause-heading">Root cause</h2>
        {root ? (
          <p>
            <strong>{root.name ?? root.node}</strong> ({root.kind ?? 'node'}{root.team_id ? `, team ${teamNames.get(root.team_id) ?? root.team_id}` : ''})
            {root.description ? <> — {root.description}</> : null}
          </p>
        ) : (
          <p>No probable root cause named yet: no failing service or edge explains the failures.</p>
        )}
        <h3>Evidence</h3>
        {evidence.length === 0 ? <p>No failing check recorded.</p> : (
          <div class="table-scroll" role="region" aria-label="Evidence" tabIndex={0}>
            <table aria-label="Evidence">
              <thead>
                <tr><th scope="col">Subject</th><th scope="col">Monitor</th><th scope="col">Region</th><th scope="col">State</th><th scope="col">Failing since</th><th scope="col">Error</th><th scope="col">Trace id</th></tr>
              </thead>
              <tbody>
                {evidence.map((e, i) => (
                  <tr key={`${e.monitor_id}-${e.region}-${i}`}>
                    <td>{e.subject ?? '—'}</td>
                    <td>{e.monitor_id ? <a href={`/monitors/${e.monitor_id}`}>{e.monitor ?? e.monitor_id}</a> : (e.monitor ?? '—')}</td>
                    <td>{e.region ?? '—'}</td>
                    <td>{e.state ? <StateBadge state={e.state} /> : '—'}</td>
                    <td>{e.since ? <time dateTime={e.since}>{when(e.since)}</time> : '—'}</td>
                    <td>{[e.error, e.status_code !== undefined ? `HTTP ${e.status_code}` : undefined].filter(Boolean).join(' · ') || '—'}</td>
                    <td>{e.trace_id ? <code>{e.trace_id}</code> : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p class="muted">First failure: <time dateTime={detail.first_failure_at}>{when(detail.first_failure_at)}</time></p>
      </section>
      <section class="incident-impacted" aria-labelledby="incident-impacted-heading">
        <h2 id="incident-impacted-heading">Impacted services</h2>
        {impacted.length === 0 ? <p>Nothing impacted beyond the root cause.</p> : (
          <ul>
            {impacted.map((n, i) => (
              <li key={n.node ?? i}>
                {n.name ?? n.node}{n.kind === 'edge' ? ' (dependency)' : ''}
                {n.impact ? <> — {n.impact.replace(/_/g, ' ')}</> : null}
                {n.team_id ? <> · team {teamNames.get(n.team_id) ?? n.team_id}</> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
