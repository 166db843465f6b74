import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { Status } from '../../../contract/state.schema.ts';
import type { Service } from '../../../contract/service.schema.ts';
import type { Team } from '../../../contract/team.schema.ts';
import { Problem, Loading } from '../components/common.component.tsx';
import { HealthEdges } from '../components/health-edges.component.tsx';
import { HealthFilters } from '../components/health-filters.component.tsx';
import { HealthTeam } from '../components/health-team.component.tsx';
import { coalescedReload } from '../coalesced-reload.ts';
import { failingEdges, filterFromQuery, filterOptions, filterServices, filterUrl, groupByTeam, summaryText, type HealthFilter } from '../health-filter.ts';
import { useLive, type LiveEvent } from '../live.ts';
import { useSession } from '../session.ts';
import { when } from '../format.ts';

/** Team names and service tags: what GET /v1/status leaves out and the filters need. */
interface Names {
  teams: Map<string, string>;
  tags: Map<string, Record<string, string>>;
}

// Live batches reload the board at most once a second, one reload at a time.
const minReloadGapMs = 1_000;
// Relative times ("12 s ago") are redrawn this often between reloads.
const clockTickMs = 15_000;

/**
 * The system health view at /: every service the principal may see, by team, with its monitors,
 * regions, last checks and error codes, and the failing dependency edges. Filters live in the URL's
 * query string; live changes reload GET /v1/status without a page reload.
 */
export function HealthView(_props: Record<string, unknown>) {
  const { api, me } = useSession();
  const location = useLocation();
  const filter = useMemo(() => filterFromQuery(location.query), [location.query]);
  const [status, setStatus] = useState<Status>();
  const [names, setNames] = useState<Names>({ teams: new Map(), tags: new Map() });
  const [error, setError] = useState<Error>();
  const [, setTick] = useState(0);
  const namesRef = useRef(names);
  namesRef.current = names;

  // A read still in flight when the view goes away (sign-out, another view) stops there.
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);

  const loadNames = useCallback(async () => {
    const [teams, services] = await Promise.all([api.all<Team>('/v1/teams'), api.all<Service>('/v1/services')]);
    if (mounted.current) setNames({ teams: new Map(teams.map((t) => [t.id, t.name])), tags: new Map(services.map((s) => [s.id, s.tags ?? {}])) });
  }, [api]);

  const load = useCallback(async () => {
    try {
      const next = await api.get<Status>('/v1/status');
      if (!mounted.current) return;
      // A service or team created since the names were read: read them again.
      const known = namesRef.current;
      const stale = next.services.some((s) => !known.tags.has(s.id) || !known.teams.has(s.team_id));
      if (stale) await loadNames().catch(() => undefined);
      if (!mounted.current) return;
      setStatus(next);
      setError(undefined);
    } catch (e) {
      if (mounted.current) setError(e as Error);
    }
  }, [api, loadNames]);

  const reloader = useMemo(() => coalescedReload(load, minReloadGapMs), [load]);
  useEffect(() => {
    reloader.request();
    return () => reloader.dispose();
  }, [reloader]);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), clockTickMs);
    return () => clearInterval(timer);
  }, []);

  const onBatch = useCallback((events: LiveEvent[]) => {
    // A reset means the stream lost events: names may have changed too.
    if (events.some((e) => e.type === 'reset')) void loadNames().catch(() => undefined);
    reloader.request();
  }, [reloader, loadNames]);
  useLive(onBatch);

  const setFilter = (next: HealthFilter) => location.route(filterUrl(next), true);

  if (!status) {
    return (
      <section aria-labelledby="health-title">
        <h1 id="health-title">System health</h1>
        {error ? <Problem error={error} retry={() => reloader.request()} /> : <Loading what="system health" />}
      </section>
    );
  }
  const services = filterServices(status, names.tags, filter);
  const groups = groupByTeam(services, names.teams);
  const edges = failingEdges(status, filter);
  const options = filterOptions(status, names.tags);
  const filtered = Object.keys(filter).length > 0;
  return (
    <section aria-labelledby="health-title" class="health">
      <h1 id="health-title">System health</h1>
      <p class="summary">
        <strong>{summaryText(services)}</strong>
        {filtered ? ` (of ${status.services.length} you can see)` : ''}
        <span class="muted"> · updated <time dateTime={status.generated_at}>{when(status.generated_at)}</time></span>
      </p>
      {error ? <Problem error={error} retry={() => reloader.request()} /> : null}
      <HealthFilters
        filter={filter}
        options={{ teams: options.teams.map((id) => ({ id, name: names.teams.get(id) ?? id })).sort((a, b) => a.name.localeCompare(b.name)), tags: options.tags, regions: options.regions }}
        onChange={setFilter}
      />
      <HealthEdges edges={edges} />
      {status.services.length === 0 ? (
        <p>
          No services yet. Declare them with Terraform (<code>pharos_service</code>, <code>pharos_monitor</code>) or <code>POST /v1/services</code>; see <a href="/docs">the API reference</a>.
        </p>
      ) : groups.length === 0 ? (
        <p>
          No service matches these filters. <a href="/">Show every service</a>.
        </p>
      ) : (
        groups.map((g) => <HealthTeam key={g.teamId} group={g} tagsOf={names.tags} canOpenTeam={me.org_admin || me.teams.some((t) => t.id === g.teamId)} />)
      )}
    </section>
  );
}
