import type { Status } from '../../../contract/state.schema.ts';
import { stateCounts } from './team-services.component.tsx';

/** What a tile of the overview counts for one team. */
export interface TeamTileFigures {
  id: string;
  name: string;
  services: Status['services'];
  openIncidents: number;
  firingAlerts: number;
  slosAtRisk: number;
  slos: number;
}

/** One team at a glance: services up / degraded / down, open incidents, firing alerts, SLOs at risk; links to its dashboard. */
export function TeamTile({ figures: f }: { figures: TeamTileFigures }) {
  const c = stateCounts(f.services);
  const trouble = c.down > 0 || f.openIncidents > 0 ? 'tile-trouble' : c.degraded > 0 || f.firingAlerts > 0 || f.slosAtRisk > 0 ? 'tile-warn' : 'tile-ok';
  return (
    <li class={`team-tile ${trouble}`}>
      <h3><a href={`/teams/${f.id}`}>{f.name}</a></h3>
      <dl>
        <div><dt>Services up</dt><dd>{c.up}</dd></div>
        <div><dt>Degraded</dt><dd>{c.degraded}</dd></div>
        <div><dt>Down</dt><dd>{c.down}</dd></div>
        <div><dt>Open incidents</dt><dd>{f.openIncidents}</dd></div>
        <div><dt>Firing alerts</dt><dd>{f.firingAlerts}</dd></div>
        <div><dt>SLOs at risk</dt><dd>{f.slosAtRisk} of {f.slos}</dd></div>
      </dl>
    </li>
  );
}
