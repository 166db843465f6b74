import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { DependencyGraph } from '../../../contract/dependency-graph.schema.ts';
import type { IncidentDetail, IncidentSummary } from '../../../contract/incident.schema.ts';
import type { ApiClient } from '../api.client.ts';
import { Loading, Problem } from '../components/common.component.tsx';
import { MapCanvas } from '../components/map-canvas.component.tsx';
import { applyStates, buildMapModel, findService, teamScope, type MapIncident } from '../components/map-elements.ts';
import { MapLegend } from '../components/map-legend.component.tsx';
import { MapList } from '../components/map-list.component.tsx';
import { MapPanel } from '../components/map-panel.component.tsx';
import { useLive, type LiveEvent } from '../live.ts';
import { useSession } from '../session.ts';

/** Open incidents whose detail (impacted services and edges) the map reads; the rest show their root cause only. */
const DETAILED_INCIDENTS = 5;
/** Live changes refetch the graph at most this often. */
const REFETCH_MS = 1000;
/** While the live stream is not connected, the map refreshes this often instead. */
const POLL_MS = 10_000;

interface MapData {
  graph: DependencyGraph;
  incidents: MapIncident[];
}

async function loadMap(api: ApiClient): Promise<MapData> {
  const [graph, open] = await Promise.all([api.get<DependencyGraph>('/v1/dependency-graph'), api.all<IncidentSummary>('/v1/incidents', { state: 'open' }, 5)]);
  const detailed = await Promise.all(
    open.map((i, n) => (n < DETAILED_INCIDENTS ? api.get<IncidentDetail>(`/v1/incidents/${i.id}`).then((d) => ({ ...i, impacted: d.impacted }), () => i) : Promise.resolve(i))),
  );
  return { graph, incidents: detailed.map((i) => ({ id: i.id, number: i.number, title: i.title, root_cause: i.root_cause, ...('impacted' in i ? { impacted: i.impacted } : {}) })) };
}

/** The dependency map: services by team, dependencies coloured and styled by state, incidents' root causes lit. */
export function MapView(_props: Record<string, unknown>) {
  const { api } = useSession();
  const [data, setData] = useState<MapData | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [team, setTeam] = useState('');
  const [search, setSearch] = useState('');
  const [searchNote, setSearchNote] = useState('');
  const [version, setVersion] = useState(0);
  const lastFetch = useRef(0);
  const current = useRef<MapData | undefined>(undefined);
  current.current = data;
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const refetch = useCallback(() => {
    lastFetch.current = Date.now();
    loadMap(api).then(
      (d) => {
        setData(d);
        setError(undefined);
      },
      (e: Error) => setError(e),
    );
  }, [api]);

  // At most one refetch a second, however many changes arrive.
  const scheduleRefetch = useCallback(() => {
    if (pending.current) return;
    const wait = Math.max(0, lastFetch.current + REFETCH_MS - Date.now());
    pending.current = setTimeout(() => {
      pending.current = undefined;
      refetch();
    }, wait);
  }, [refetch]);

  useEffect(() => {
    refetch();
    return () => clearTimeout(pending.current);
  }, [refetch]);

  const onBatch = useCallback(
    (events: LiveEvent[]) => {
      const states = events.filter((e): e is Extract<LiveEvent, { type: 'state' }> => e.type === 'state');
      // Service and edge states are patched at once; incidents (root cause, impact) come with a refetch.
      // A service or edge the map does not have yet (declared since it loaded) comes with a refetch too.
      const graph = current.current?.graph;
      const known = (e: (typeof states)[number]) => e.subject_type === 'monitor' || !graph || (e.subject_type === 'service' ? graph.nodes.some((n) => n.id === e.subject_id) : graph.edges.some((g) => g.id === e.subject_id));
      if (states.length) setData((d) => (d && applyStates(d.graph, states) ? { ...d } : d));
      if (events.some((e) => e.type === 'incident' || e.type === 'reset') || !states.every(known)) scheduleRefetch();
      if (states.length) setVersion((v) => v + 1);
    },
    [scheduleRefetch],
  );
  const live = useLive(onBatch);

  useEffect(() => {
    if (live === 'live') return;
    const timer = setInterval(scheduleRefetch, POLL_MS);
    return () => clearInterval(timer);
  }, [live, scheduleRefetch]);

  const model = useMemo(() => (data ? buildMapModel(data.graph, data.incidents) : undefined), [data]);
  const visible = useMemo(() => (model ? teamScope(model, team || undefined) : undefined), [model, team]);
  const element = selected && model ? model.elements.find((e) => e.data.id === selected)?.data : undefined;

  useEffect(() => {
    if (!element) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setSelected(undefined);
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [element !== undefined]);

  if (!model || !data) return error ? <Problem error={error} retry={refetch} /> : <Loading what="the dependency map" />;

  const find = (e: Event) => {
    e.preventDefault();
    const hit = findService(model, search);
    if (!hit) {
      setSearchNote(`No service matches "${search.trim()}".`);
      return;
    }
    if (visible && !visible.has(hit.id)) setTeam('');
    setSearchNote(`Selected ${hit.label}.`);
    setSelected(hit.id);
  };

  return (
    <div class="map-view">
      <div class="map-title">
        <h1>Dependency map</h1>
        <p class="muted">
          Arrows point from a service to what it depends on.{' '}
          {live === 'live' ? 'Changes appear as they happen.' : `Live updates are ${live}; the map refreshes every ${POLL_MS / 1000} s until they are back.`}
        </p>
      </div>
      {error ? <Problem error={error} retry={refetch} /> : null}
      {model.all.length === 0 ? <p>No services to show yet: services and their dependencies declared through the API or Terraform (pharos_service, pharos_service_dependency) appear here.</p> : null}
      <div class="map-controls">
        <label>
          Team{' '}
          <select value={team} onChange={(e) => setTeam((e.target as HTMLSelectElement).value)}>
            <option value="">All teams</option>
            {model.teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
          </select>
        </label>
        <form role="search" onSubmit={find}>
          <label for="map-search">Find a service</label>{' '}
          <input id="map-search" type="search" list="map-services" value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
          <datalist id="map-services">{model.all.filter((i) => i.kind === 'service').map((i) => <option key={i.id} value={i.label} />)}</datalist>{' '}
          <button type="submit">Find</button>
        </form>
        <p class="map-search-note" role="status">{searchNote}</p>
      </div>
      <div class={element ? 'map-main with-panel' : 'map-main'}>
        <MapCanvas model={model} visible={visible} selected={selected} onSelect={setSelected} />
        {element ? <MapPanel element={element} graph={data.graph} version={version} onClose={() => setSelected(undefined)} /> : null}
      </div>
      <MapLegend />
      <MapList failing={model.failing} all={model.all} visible={visible} selected={selected} onSelect={setSelected} />
    </div>
  );
}
