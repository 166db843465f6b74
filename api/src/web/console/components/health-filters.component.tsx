import type { HealthFilter } from '../health-filter.ts';

interface Props {
  filter: HealthFilter;
  options: { teams: Array<{ id: string; name: string }>; tags: string[]; regions: string[] };
  /** Called with the new filter when a control changes (the view puts it in the URL). */
  onChange: (filter: HealthFilter) => void;
}

const states = ['up', 'degraded', 'down', 'unknown'] as const;

function Choice({ id, label, value, all, choices, onPick }: { id: string; label: string; value: string | undefined; all: string; choices: Array<{ value: string; label: string }>; onPick: (value: string | undefined) => void }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onPick((e.target as HTMLSelectElement).value || undefined)}>
        <option value="">{all}</option>
        {choices.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
        {/* A filter from a link that names something not present any more stays visible and removable. */}
        {value && !choices.some((c) => c.value === value) ? <option value={value}>{value} (none now)</option> : null}
      </select>
    </div>
  );
}

/** The health view's filters: team, state, tag and region, each a labelled select. */
export function HealthFilters({ filter, options, onChange }: Props) {
  const set = (key: keyof HealthFilter) => (value: string | undefined) => {
    const next: HealthFilter = { ...filter };
    if (value) (next as Record<string, string>)[key] = value;
    else delete next[key];
    onChange(next);
  };
  const active = Object.keys(filter).length > 0;
  return (
    <form class="filters" role="search" aria-label="Filter services" onSubmit={(e) => e.preventDefault()}>
      <Choice id="filter-team" label="Team" value={filter.team} all="All teams" choices={options.teams.map((t) => ({ value: t.id, label: t.name }))} onPick={set('team')} />
      <Choice id="filter-state" label="State" value={filter.state} all="Any state" choices={states.map((s) => ({ value: s, label: s }))} onPick={set('state')} />
      <Choice id="filter-tag" label="Tag" value={filter.tag} all="Any tag" choices={options.tags.map((t) => ({ value: t, label: t }))} onPick={set('tag')} />
      <Choice id="filter-region" label="Region" value={filter.region} all="All regions" choices={options.regions.map((r) => ({ value: r, label: r }))} onPick={set('region')} />
      {active ? (
        <div class="field field-action">
          <button type="button" class="secondary" onClick={() => onChange({})}>Clear filters</button>
        </div>
      ) : null}
    </form>
  );
}
