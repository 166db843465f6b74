import type { Status } from '../../../contract/state.schema.ts';
import { ago, when } from '../format.ts';
import { StateBadge } from './common.component.tsx';

/** A team's services with their state and monitors (each monitor links to its page). */
export function TeamServices({ services }: { services: Status['services'] }) {
  if (services.length === 0) return <p>This team has no services yet.</p>;
  return (
    <div class="table-scroll" role="region" aria-label="Services" tabIndex={0}>
      <table aria-label="Services">
        <thead>
          <tr><th scope="col">Service</th><th scope="col">State</th><th scope="col">Since</th><th scope="col">Monitors</th></tr>
        </thead>
        <tbody>
          {services.map((s) => (
            <tr key={s.id}>
              <td>{s.name}{s.kind === 'external' ? ' (external)' : ''}</td>
              <td><StateBadge state={s.state} /></td>
              <td>{s.since ? <time dateTime={s.since} title={when(s.since)}>{ago(s.since)}</time> : '—'}</td>
              <td>
                {s.monitors.length === 0 ? 'none' : (
                  <ul class="team-monitors">
                    {s.monitors.map((m) => <li key={m.id}><a href={`/monitors/${m.id}`}>{m.name}</a> <StateBadge state={m.enabled ? m.state : 'paused'} /></li>)}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Services per state, for summaries: "3 up, 1 down". */
export function stateCounts(services: Status['services']): Record<'up' | 'degraded' | 'down' | 'unknown', number> {
  const counts = { up: 0, degraded: 0, down: 0, unknown: 0 };
  for (const s of services) counts[s.state] += 1;
  return counts;
}
