import { useLocation } from 'preact-iso';
import type { IncidentSummary } from '../../../contract/incident.schema.ts';
import type { Service } from '../../../contract/service.schema.ts';
import { Loaded } from '../components/common.component.tsx';
import { IncidentFilters, type IncidentFilterValues } from '../components/incident-filters.component.tsx';
import { useLiveReload } from '../components/incident-live.hook.ts';
import { openFirst, rangeFrom } from '../components/incident-logic.ts';
import { IncidentTable } from '../components/incident-table.component.tsx';
import { useTeams } from '../components/team-names.hook.ts';
import { useApi } from '../use-api.hook.ts';

const keys = ['state', 'team_id', 'service_id', 'range'] as const;

/** /incidents: every incident the principal can see, open first, filtered by the URL's query; reloads on live incident changes. */
export function IncidentsView(_props: Record<string, unknown>) {
  const { query, path, route } = useLocation();
  const values = Object.fromEntries(keys.map((k) => [k, query[k] ?? ''])) as unknown as IncidentFilterValues;
  const { teams, names } = useTeams();
  const services = useApi((api) => api.all<Service>('/v1/services'), []);
  const incidents = useApi(
    (api) => api.all<IncidentSummary>('/v1/incidents', { state: values.state, team_id: values.team_id, service_id: values.service_id, from: rangeFrom(values.range) }, 5),
    [values.state, values.team_id, values.service_id, values.range],
  );
  useLiveReload(incidents.reload, (e) => e.type === 'incident');

  const onChange = (next: IncidentFilterValues) => {
    const params = new URLSearchParams();
    for (const k of keys) if (next[k]) params.set(k, next[k]);
    const text = params.toString();
    route(text ? `${path}?${text}` : path, true);
  };

  return (
    <section class="incidents">
      <h1>Incidents</h1>
      <IncidentFilters values={values} teams={teams} services={services.data ?? []} onChange={onChange} />
      <Loaded
        loaded={incidents}
        what="incidents"
        render={(items) => {
          const sorted = openFirst(items);
          const open = sorted.filter((i) => i.state !== 'resolved').length;
          return (
            <>
              <p class="incident-count" role="status">{items.length} {items.length === 1 ? 'incident' : 'incidents'}, {open} open</p>
              <IncidentTable items={sorted} teamNames={names} caption="Incidents, open first" empty="No incident matches these filters." />
            </>
          );
        }}
      />
    </section>
  );
}
