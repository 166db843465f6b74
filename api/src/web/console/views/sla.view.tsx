import { useLocation } from 'preact-iso';
import type { SlaDaily, SlaReport } from '../../../contract/sla.schema.ts';
import type { Slo, SloStatus } from '../../../contract/slo.schema.ts';
import type { Team } from '../../../contract/team.schema.ts';
import { WindowPicker } from '../components/chart-window.component.tsx';
import { Loaded } from '../components/common.component.tsx';
import { mapLimited, sloWindowDays } from '../components/sla-budget.ts';
import { SloList, type SloRow } from '../components/sla-slos.component.tsx';
import { SlaTable } from '../components/sla-tables.component.tsx';
import { useApi } from '../use-api.hook.ts';

const windows = ['24h', '7d', '30d', '90d'] as const;
type Window = (typeof windows)[number];
/** Services whose own reports (for their MTTR) are fetched at most. */
const maxServices = 200;

/** /sla: uptime, downtime, MTTR and p95 per team and per service over a window; SLOs with their error budget and its burn. */
export function SlaView() {
  const { query, path, route } = useLocation();
  const window: Window = (windows as readonly string[]).includes(query.window ?? '') ? (query.window as Window) : '30d';
  const teamFilter = query.team ?? '';
  const go = (w: Window, team: string) => route(`${path}?window=${w}${team ? `&team=${encodeURIComponent(team)}` : ''}`, true);
  const teams = useApi((api) => api.all<Team>('/v1/teams', {}, 5), []);
  const shown = (teams.data ?? []).filter((t) => !teamFilter || t.id === teamFilter);
  const shownKey = shown.map((t) => t.id).join(',');
  const reports = useApi(async (api) => {
    const teamReports = await mapLimited(shown, 4, (t) => api.get<SlaReport>(`/v1/sla/teams/${encodeURIComponent(t.id)}`, { window }));
    const services = teamReports.flatMap((r) => (r.parts ?? []).filter((p) => p.type === 'service')).slice(0, maxServices);
    const serviceReports = await mapLimited(services, 4, (s) => api.get<SlaReport>(`/v1/sla/services/${encodeURIComponent(s.id)}`, { window }));
    return { teamReports, serviceReports };
  }, [shownKey, window]);
  const slos = useApi(async (api): Promise<SloRow[]> => {
    const ids = new Set(shown.map((t) => t.id));
    const list = (await api.all<Slo>('/v1/slos', {}, 5)).filter((s) => ids.has(s.team_id));
    return mapLimited(list, 4, async (slo) => {
      const days = sloWindowDays(slo.window);
      const subject = slo.monitor_id ? `monitors/${slo.monitor_id}` : slo.service_id ? `services/${slo.service_id}` : undefined;
      const [status, daily] = await Promise.all([
        api.get<SloStatus>(`/v1/slos/${encodeURIComponent(slo.id)}/status`).catch(() => undefined),
        slo.objective === 'uptime' && subject ? api.get<SlaDaily>(`/v1/sla/${subject}/daily`, { days }).catch(() => undefined) : Promise.resolve(undefined),
      ]);
      return { slo, status, days: daily?.days };
    });
  }, [shownKey]);

  return (
    <article class="sla-view">
      <h1>SLA and SLOs</h1>
      <div class="filters">
        <div class="field">
          <label for="sla-team">Team</label>
          <select id="sla-team" value={teamFilter} onChange={(e) => go(window, (e.target as HTMLSelectElement).value)}>
            <option value="">All teams</option>
            {(teams.data ?? []).map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select>
        </div>
        <div class="field">
          <span class="field-label">Window</span>
          <WindowPicker windows={windows} value={window} label="SLA window" onChange={(w) => go(w, teamFilter)} />
        </div>
      </div>
      <Loaded loaded={teams} what="teams" render={() => (
        <>
          <section aria-labelledby="sla-teams-heading">
            <h2 id="sla-teams-heading">Teams over the last {window}</h2>
            <Loaded loaded={reports} what="SLA reports" render={(r) => <SlaTable reports={r.teamReports} caption={`Teams, last ${window}`} link={(t) => `/teams/${t.subject.id}`} />} />
          </section>
          <section aria-labelledby="sla-services-heading">
            <h2 id="sla-services-heading">Services over the last {window}</h2>
            <Loaded loaded={reports} what="SLA reports" render={(r) => <SlaTable reports={r.serviceReports} caption={`Services, last ${window}`} link={() => undefined} />} />
          </section>
          <section aria-labelledby="sla-slos-heading">
            <h2 id="sla-slos-heading">SLOs and error budgets</h2>
            <p class="hint">Each objective over its own window; the burn chart shows the budget left after each UTC day.</p>
            <Loaded loaded={slos} what="SLOs" render={(rows) => <SloList rows={rows} />} />
          </section>
        </>
      )} />
    </article>
  );
}
