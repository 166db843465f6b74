import { Fragment } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { DependencyGraph } from '../../../contract/dependency-graph.schema.ts';
import type { Monitor } from '../../../contract/monitor.schema.ts';
import type { CheckResult } from '../../../contract/result.schema.ts';
import type { MonitorState } from '../../../contract/state.schema.ts';
import type { ApiClient } from '../api.client.ts';
import { ago, ms, when } from '../format.ts';
import { useApi } from '../use-api.hook.ts';
import { Loaded, StateBadge } from './common.component.tsx';
import { edgeName, type MapElementData } from './map-elements.ts';

/** How many monitors the panel details, and how many recent results of each. */
const MAX_MONITORS = 12;
const RESULTS = 5;

type Result = CheckResult & { received_at: string };
interface MonitorDetail {
  monitor: Monitor;
  state: MonitorState | undefined;
  results: Result[];
}

export interface MapPanelProps {
  /** The selected element's data (a service node or an edge). */
  element: MapElementData;
  graph: DependencyGraph;
  /** Changes when live updates arrive, so the monitors' states and results are read again. */
  version: number;
  onClose(): void;
}

async function monitorDetails(api: ApiClient, monitors: Monitor[]): Promise<{ details: MonitorDetail[]; total: number }> {
  const details = await Promise.all(
    monitors.slice(0, MAX_MONITORS).map(async (monitor) => {
      const [state, results] = await Promise.all([
        api.get<MonitorState>(`/v1/monitors/${monitor.id}/state`).catch(() => undefined),
        api.get<{ items: Result[] }>(`/v1/monitors/${monitor.id}/results`, { limit: RESULTS }).then((p) => p.items, () => []),
      ]);
      return { monitor, state, results };
    }),
  );
  return { details, total: monitors.length };
}

/** The details of a selected service or edge: state, team, incident, its monitors and their last results. */
export function MapPanel({ element, graph, version, onClose }: MapPanelProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  const edge = element.kind === 'edge' ? graph.edges.find((e) => e.id === element.ref) : undefined;
  const node = element.kind === 'service' ? graph.nodes.find((n) => n.id === element.ref) : undefined;
  const ownerService = edge ? edge.service_id : element.ref;
  const loaded = useApi(
    async (api) => {
      const monitors = await api.all<Monitor>('/v1/monitors', { service_id: ownerService }, 5);
      // An edge's monitors are its source service's monitors that name the edge (dependency_id).
      return monitorDetails(api, edge ? monitors.filter((m) => m.dependency_id === edge.id) : monitors);
    },
    [element.id, version],
  );

  // Focus moves to the panel when it opens or shows another element, and back to where it was
  // (the list's button, the search box) when it closes.
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    const active = document.activeElement;
    if (active && !heading.current?.closest('.map-panel')?.contains(active)) opener.current = active;
    heading.current?.focus();
  }, [element.id]);
  useEffect(
    () => () => {
      const back = opener.current;
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    },
    [],
  );

  const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
  const title = edge ? edgeName(edge, names) : node?.name ?? element.label;
  const state = edge?.state ?? node?.state ?? element.state;
  const incidentId = element.incident_id;

  return (
    <section class="map-panel" aria-labelledby="map-panel-title">
      <div class="map-panel-head">
        <h2 id="map-panel-title" tabIndex={-1} ref={heading}>{title}</h2>
        <button type="button" onClick={onClose} aria-label="Close details (Esc)">Close</button>
      </div>
      <dl class="map-facts">
        <dt>{edge ? 'Dependency' : 'Service'}</dt>
        <dd>{edge ? `${names.get(edge.service_id)} depends on ${names.get(edge.depends_on_service_id)}` : node?.kind === 'external' ? 'external API' : 'internal service'}</dd>
        <dt>State</dt>
        <dd><StateBadge state={state} /> {(edge?.since ?? node?.since) ? <span class="muted">since {ago(edge?.since ?? node?.since)}</span> : null}</dd>
        <dt>Team</dt>
        <dd>{node?.team ?? graph.nodes.find((n) => n.id === edge?.service_id)?.team ?? '—'}</dd>
        {incidentId ? (
          <>
            <dt>Incident</dt>
            <dd>
              <a href={`/incidents/${incidentId}`}>Incident #{element.incident_number}</a>
              {element.root_cause_of !== undefined ? <strong> (root cause)</strong> : ' (impacted)'}
            </dd>
          </>
        ) : null}
      </dl>
      {edge ? <TargetElsewhere graph={graph} edgeId={edge.id} /> : null}
      <h3>{edge ? 'Monitors checking this dependency' : 'Monitors'}</h3>
      <Loaded
        loaded={loaded}
        what="monitors"
        render={({ details, total }) =>
          details.length === 0 ? (
            <p>{edge ? 'No monitor checks this dependency (a monitor with its dependency_id set to this edge would give it a state).' : 'This service has no monitors.'}</p>
          ) : (
            <>
              {details.map((d) => <MonitorBlock key={d.monitor.id} detail={d} graph={graph} names={names} />)}
              {total > details.length ? <p class="muted">Showing {details.length} of {total} monitors.</p> : null}
            </>
          )
        }
      />
    </section>
  );
}

function MonitorBlock({ detail, graph, names }: { detail: MonitorDetail; graph: DependencyGraph; names: Map<string, string> }) {
  const { monitor, state, results } = detail;
  const checks = monitor.dependency_id ? graph.edges.find((e) => e.id === monitor.dependency_id) : undefined;
  return (
    <article class="map-monitor" aria-labelledby={`mon-${monitor.id}`}>
      <h4 id={`mon-${monitor.id}`}>
        <a href={`/monitors/${monitor.id}`}>{monitor.name}</a> <StateBadge state={monitor.enabled === false ? 'unknown' : state?.state} />
      </h4>
      <p class="muted">
        {monitor.type}{checks ? `, checks ${edgeName(checks, names)}` : ''}{monitor.enabled === false ? ', disabled' : ''}
        {state?.regions.length ? `, regions: ${state.regions.map((r) => `${r.region} ${r.state}`).join(', ')}` : ''}
      </p>
      {results.length === 0 ? (
        <p>No results yet.</p>
      ) : (
        <div class="table-scroll" tabIndex={0} role="region" aria-label={`Last results of ${monitor.name}`}>
          <table>
            <thead>
              <tr><th scope="col">When, region</th><th scope="col">Result</th><th scope="col">Code</th><th scope="col">Latency</th></tr>
            </thead>
            <tbody>
              {results.map((r) => (
                <Fragment key={r.id}>
                  <tr class={r.error ? 'with-error' : undefined}>
                    <td title={when(r.started_at)}>{ago(r.started_at)}, {r.region}</td>
                    <td><StateBadge state={r.status} /></td>
                    <td>{r.status_code ?? '—'}</td>
                    <td>{ms(r.duration_ms)}</td>
                  </tr>
                  {r.error ? (
                    <tr class="result-error">
                      <td colSpan={4}>Error {r.error.code}: {r.error.message}</td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}

/** For an edge: is its target healthy on its own and from its other callers? Says where the fault likely is. */
function TargetElsewhere({ graph, edgeId }: { graph: DependencyGraph; edgeId: string }) {
  const edge = graph.edges.find((e) => e.id === edgeId)!;
  const target = graph.nodes.find((n) => n.id === edge.depends_on_service_id);
  const names = new Map(graph.nodes.map((n) => [n.id, n.name]));
  const others = graph.edges.filter((e) => e.depends_on_service_id === edge.depends_on_service_id && e.id !== edge.id && e.monitored);
  const othersUp = others.filter((e) => e.state === 'up').length;
  const failing = edge.state === 'down' || edge.state === 'degraded';
  let verdict = '';
  if (failing && target?.state === 'up') verdict = `${target.name} answers its own checks${others.length ? ` and ${othersUp} of ${others.length} other callers reach it` : ''}: the fault is likely on this path (network policy, DNS, credentials).`;
  else if (failing && (target?.state === 'down' || target?.state === 'degraded')) verdict = `${target.name} itself is ${target.state}: this dependency fails with it.`;
  return (
    <div class="map-elsewhere">
      <h3>The target from elsewhere</h3>
      <p>
        {target?.name ?? 'The target'}: <StateBadge state={target?.state} /> from its own monitors.
        {others.length ? ` Other monitored callers: ${others.map((e) => `${names.get(e.service_id)} (${e.state})`).join(', ')}.` : ' No other monitored caller.'}
      </p>
      {verdict ? <p><strong>{verdict}</strong></p> : null}
    </div>
  );
}
