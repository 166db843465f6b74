import type { IncidentSummary } from '../../../contract/incident.schema.ts';
import type { Status } from '../../../contract/state.schema.ts';
import type { Team } from '../../../contract/team.schema.ts';
import type { ApiClient } from '../api.client.ts';
import { Loaded } from '../components/common.component.tsx';
import { useLiveReload } from '../components/incident-live.hook.ts';
import { openFirst } from '../components/incident-logic.ts';
import { IncidentTable } from '../components/incident-table.component.tsx';
import { AT_RISK_BUDGET_PERCENT, loadFiringAlerts, loadSlos, sloAtRisk } from '../components/team-data.ts';
import { TeamTile, type TeamTileFigures } from '../components/team-tile.component.tsx';
import { useSession } from '../session.ts';
import { useApi } from '../use-api.hook.ts';

/** Everything the overview shows, read from the API at once. */
async function loadOverview(api: ApiClient): Promise<{ tiles: TeamTileFigures[]; incidents: IncidentSummary[]; names: Map<string, string> }> {
  const [teams, status, incidents, alerts, slos] = await Promise.all([
    api.all<Team>('/v1/teams'),
    api.get<Status>('/v1/status'),
    api.all<IncidentSummary>('/v1/incidents', { state: 'open' }, 5),
    loadFiringAlerts(api),
    loadSlos(api),
  ]);
  const tiles = teams.map((t): TeamTileFigures => {
    const own = slos.filter((s) => s.slo.team_id === t.id);
    return {
      id: t.id,
      name: t.name,
      services: status.services.filter((s) => s.team_id === t.id),
      openIncidents: incidents.filter((i) => i.team_id === t.id).length,
      firingAlerts: alerts.filter((a) => a.team_id === t.id).length,
      slosAtRisk: own.filter(sloAtRisk).length,
      slos: own.length,
    };
  });
  return { tiles, incidents: openFirst(incidents), names: new Map(teams.map((t) => [t.id, t.name])) };
}

/**
 * /overview: one tile per team and the open incidents. Org admins see the whole organization; anyone
 * else sees the teams they have a role in (an SRE given a viewer role in every team sees them all),
 * because the overview reads the same API, scoped to the principal.
 */
export function OverviewView(_props: Record<string, unknown>) {
  const { me } = useSession();
  if (!me.org_admin && me.teams.length === 0) {
    return (
      <section class="overview">
        <h1>Overview</h1>
        <p role="status">You have no role in any team yet, so there is nothing to show. Ask an org admin to add you to a team (or for the org admin role to see the whole organization).</p>
      </section>
    );
  }
  return <OrgOverview orgWide={me.org_admin} />;
}

function OrgOverview({ orgWide }: { orgWide: boolean }) {
  const overview = useApi((api) => loadOverview(api), []);
  useLiveReload(overview.reload, (e) => e.type === 'incident' || e.type === 'alert' || (e.type === 'state' && e.subject_type === 'service'));
  return (
    <section class="overview">
      <h1>Overview</h1>
      {orgWide ? null : <p class="muted" role="note">The teams you have a role in; org admins see every team of the organization here.</p>}
      <Loaded
        loaded={overview}
        what="the overview"
        render={({ tiles, incidents, names }) => (
          <>
            <section aria-labelledby="overview-teams-heading">
              <h2 id="overview-teams-heading">Teams</h2>
              <p class="muted">An SLO is at risk with less than {AT_RISK_BUDGET_PERCENT} % of its error budget left.</p>
              {tiles.length === 0 ? <p>No teams yet.</p> : <ul class="team-tiles">{tiles.map((t) => <TeamTile key={t.id} figures={t} />)}</ul>}
            </section>
            <section aria-labelledby="overview-incidents-heading">
              <h2 id="overview-incidents-heading">Open incidents</h2>
              <IncidentTable items={incidents} teamNames={names} caption={orgWide ? 'Open incidents of the organization' : 'Open incidents of your teams'} empty="No open incident." />
            </section>
          </>
        )}
      />
    </section>
  );
}
