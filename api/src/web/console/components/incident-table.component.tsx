import type { IncidentSummary } from '../../../contract/incident.schema.ts';
import { duration, when } from '../format.ts';
import { StateBadge } from './common.component.tsx';

/** Incidents as rows: number, title, state, severity, root cause, owner team, impacted services, started, duration; each links to its detail. */
export function IncidentTable({ items, teamNames, caption, empty = 'No incidents.' }: { items: IncidentSummary[]; teamNames: ReadonlyMap<string, string>; caption: string; empty?: string }) {
  if (items.length === 0) return <p class="incident-empty">{empty}</p>;
  return (
    <div class="table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table class="incident-table" aria-label={caption}>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Title</th>
            <th scope="col">State</th>
            <th scope="col">Severity</th>
            <th scope="col">Root cause</th>
            <th scope="col">Owner team</th>
            <th scope="col">Impacted</th>
            <th scope="col">Started</th>
            <th scope="col">Duration</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.id} class={i.state === 'resolved' ? 'incident-resolved' : 'incident-open'}>
              <td><a href={`/incidents/${i.number}`} aria-label={`Incident ${i.number}: ${i.title}`}>#{i.number}</a></td>
              <td><a href={`/incidents/${i.number}`}>{i.title}</a></td>
              <td><StateBadge state={i.state} /></td>
              <td><SeverityBadge severity={i.severity} /></td>
              <td>{i.root_cause?.name ?? <span class="muted">not named yet</span>}</td>
              <td>{i.team_id ? <a href={`/teams/${i.team_id}`}>{teamNames.get(i.team_id) ?? i.team_id}</a> : '—'}</td>
              <td>{i.impacted_count} impacted of {i.services_count} {i.services_count === 1 ? 'service' : 'services'}</td>
              <td><time dateTime={i.first_failure_at}>{when(i.first_failure_at)}</time></td>
              <td>{duration(i.duration_seconds)}{i.state === 'resolved' ? '' : ' so far'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A severity as a word with a colour (never the colour alone). */
export function SeverityBadge({ severity }: { severity: string }) {
  return <span class={`badge severity-${severity}`}>{severity}</span>;
}
