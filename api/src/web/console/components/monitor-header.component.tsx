import type { Monitor } from '../../../contract/monitor.schema.ts';
import type { Service } from '../../../contract/service.schema.ts';
import type { MonitorState } from '../../../contract/state.schema.ts';
import type { Team } from '../../../contract/team.schema.ts';
import { ago } from '../format.ts';
import { StateBadge } from './common.component.tsx';

/** Who a monitor is: its name, service, team, type, state and each region's state. */
export function MonitorHeader({ monitor, state, service, team }: { monitor: Monitor; state: MonitorState | undefined; service: Service | undefined; team: Team | undefined }) {
  return (
    <header class="monitor-header">
      <h1>Monitor {monitor.name} {state ? <StateBadge state={state.state} /> : null}</h1>
      <dl class="monitor-facts">
        <div><dt>Service</dt><dd>{service ? service.name : monitor.service_id}</dd></div>
        <div><dt>Team</dt><dd>{team ? <a href={`/teams/${team.id}`}>{team.name}</a> : monitor.team_id}</dd></div>
        <div><dt>Type</dt><dd>{monitor.type}, every {monitor.interval_seconds ?? 60} s</dd></div>
        <div><dt>State</dt><dd>{state ? <>{state.state}{state.since ? `, since ${ago(state.since)}` : ''} ({state.regions_down} of {state.regions.length} regions down, {state.min_failed_regions} needed)</> : '—'}</dd></div>
      </dl>
      {state && state.regions.length > 0 ? (
        <ul class="monitor-regions" aria-label="Regions">
          {state.regions.map((r) => (
            <li key={r.region}>
              <b>{r.region}</b> <StateBadge state={r.state} />
              {r.last_result_at ? <span class="muted"> last check {ago(r.last_result_at)}</span> : null}
              {r.cause ? <span class="muted"> ({r.cause.replace(/_/g, ' ')})</span> : null}
              {r.last_error ? <span class="muted"> {r.last_error}</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </header>
  );
}
