import type { IncidentSummary } from '../../../contract/incident.schema.ts';
import type { Status } from '../../../contract/state.schema.ts';
import type { Team } from '../../../contract/team.schema.ts';
import { Loaded } from '../components/common.component.tsx';
import { useLiveReload } from '../components/incident-live.hook.ts';
import { openFirst } from '../components/incident-logic.ts';
import { IncidentTable } from '../components/incident-table.component.tsx';
import { TeamAlerts } from '../components/team-alerts.component.tsx';
import { loadFiringAlerts, loadSlos } from '../components/team-data.ts';
import { stateCounts, TeamServices } from '../components/team-services.component.tsx';
import { TeamSlos } from '../components/team-slos.component.tsx';
import { useApi } from '../use-api.hook.ts';

/** /teams/:id: a team's dashboard: its services with their state, open incidents, SLOs and firing alerts. */
export function TeamView({ id }: { id?: string }) {
  const teamId = id ?? '';
  const team = useApi((api) => api.get<Team>(`/v1/teams/${encodeURIComponent(teamId)}`), [teamId]);
  const status = useApi((api) => api.get<Status>('/v1/status', { team_id: teamId }), [teamId]);
  const incidents = useApi((api) => api.all<IncidentSummary>('/v1/incidents', { team_id: teamId, state: 'open' }, 5), [teamId]);
  const slos = useApi((api) => loadSlos(api, teamId), [teamId]);
  const alerts = useApi((api) => loadFiringAlerts(api, teamId), [teamId]);
  useLiveReload(() => {
    status.reload();
    incidents.reload();
    alerts.reload();
  }, (e) => e.type === 'incident' || e.type === 'state' || (e.type === 'alert' && e.team_id === teamId));

  return (
    <Loaded
      loaded={team}
      what="the team"
      render={(t) => {
        const names = new Map([[t.id, t.name]]);
        return (
          <article class="team-dashboard">
            <h1>Team {t.name}</h1>
            <p class="team-links">
              <a href={`/incidents?team_id=${t.id}`}>All incidents of {t.name}</a> · <a href="/">System health</a> · <a href="/map">Dependency map</a> · <a href="/sla">SLA</a>
            </p>
            <section aria-labelledby="team-services-heading">
              <h2 id="team-services-heading">Services</h2>
              <Loaded loaded={status} what="services" render={(s) => {
                const c = stateCounts(s.services);
                return (
                  <>
                    <p>{s.services.length} services: {c.up} up, {c.degraded} degraded, {c.down} down, {c.unknown} unknown.</p>
                    <TeamServices services={s.services} />
                  </>
                );
              }} />
            </section>
            <section aria-labelledby="team-incidents-heading">
              <h2 id="team-incidents-heading">Open incidents</h2>
              <Loaded loaded={incidents} what="incidents" render={(items) => <IncidentTable items={openFirst(items)} teamNames={names} caption={`Open incidents of ${t.name}`} empty="No open incident." />} />
            </section>
            <section aria-labelledby="team-slos-heading">
              <h2 id="team-slos-heading">SLOs</h2>
              <Loaded loaded={slos} what="SLOs" render={(rows) => <TeamSlos rows={rows} />} />
            </section>
            <section aria-labelledby="team-alerts-heading">
              <h2 id="team-alerts-heading">Firing alerts</h2>
              <Loaded loaded={alerts} what="alerts" render={(list) => <TeamAlerts alerts={list} />} />
            </section>
          </article>
        );
      }}
    />
  );
}
