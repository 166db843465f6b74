import type { Service } from '../../../contract/service.schema.ts';
import { incidentRanges } from './incident-logic.ts';

/** The list's filters as the URL query holds them (empty: no filter). */
export interface IncidentFilterValues {
  state: string;
  team_id: string;
  service_id: string;
  range: string;
}

const stateChoices = [
  ['', 'Any state'],
  ['open', 'Open (not resolved)'],
  ['investigating', 'Investigating'],
  ['identified', 'Identified'],
  ['monitoring', 'Monitoring'],
  ['resolved', 'Resolved'],
] as const;

const rangeWords: Record<string, string> = { '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days', '90d': 'Last 90 days' };

/** The incident list's filters: state, team, service, time range; each change goes to `onChange`. */
export function IncidentFilters({ values, teams, services, onChange }: {
  values: IncidentFilterValues;
  teams: Array<{ id: string; name: string }>;
  services: Array<Pick<Service, 'id' | 'name' | 'team_id'>>;
  onChange(values: IncidentFilterValues): void;
}) {
  const set = (key: keyof IncidentFilterValues) => (event: Event) => onChange({ ...values, [key]: (event.currentTarget as HTMLSelectElement).value });
  const shown = values.team_id ? services.filter((s) => s.team_id === values.team_id) : services;
  return (
    <form class="incident-filters" aria-label="Filter incidents" onSubmit={(e) => e.preventDefault()}>
      <label>
        State
        <select value={values.state} onChange={set('state')}>
          {stateChoices.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </label>
      <label>
        Team
        <select value={values.team_id} onChange={set('team_id')}>
          <option value="">Any team</option>
          {teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
        </select>
      </label>
      <label>
        Service
        <select value={values.service_id} onChange={set('service_id')}>
          <option value="">Any service</option>
          {shown.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
        </select>
      </label>
      <label>
        Started
        <select value={values.range} onChange={set('range')}>
          <option value="">Any time</option>
          {Object.keys(incidentRanges).map((r) => <option key={r} value={r}>{rangeWords[r] ?? r}</option>)}
        </select>
      </label>
    </form>
  );
}
