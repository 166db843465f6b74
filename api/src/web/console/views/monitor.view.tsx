import { useLocation } from 'preact-iso';
import type { ChangeEvent } from '../../../contract/change-event.schema.ts';
import type { MonitorLatency } from '../../../contract/latency.schema.ts';
import type { Monitor } from '../../../contract/monitor.schema.ts';
import type { CheckResult } from '../../../contract/result.schema.ts';
import type { Service } from '../../../contract/service.schema.ts';
import type { SlaDaily } from '../../../contract/sla.schema.ts';
import type { MonitorState } from '../../../contract/state.schema.ts';
import type { Team } from '../../../contract/team.schema.ts';
import { LatencyChart } from '../components/chart-latency.component.tsx';
import { TimingsChart } from '../components/chart-timings.component.tsx';
import { WindowPicker } from '../components/chart-window.component.tsx';
import { Loaded } from '../components/common.component.tsx';
import { useLiveReload } from '../components/incident-live.hook.ts';
import { MonitorFailures } from '../components/monitor-failures.component.tsx';
import { MonitorHeader } from '../components/monitor-header.component.tsx';
import { UptimeBars } from '../components/monitor-uptime.component.tsx';
import { useApi } from '../use-api.hook.ts';

const windows = ['24h', '7d', '30d'] as const;
type Window = (typeof windows)[number];

/** /monitors/:id: latency per region with change events, timing breakdown, 90 days of uptime, the last failures. */
export function MonitorView({ id }: { id?: string }) {
  const monitorId = encodeURIComponent(id ?? '');
  const { query, path, route } = useLocation();
  const window: Window = (windows as readonly string[]).includes(query.window ?? '') ? (query.window as Window) : '24h';
  const monitor = useApi((api) => api.get<Monitor>(`/v1/monitors/${monitorId}`), [monitorId]);
  const state = useApi((api) => api.get<MonitorState>(`/v1/monitors/${monitorId}/state`), [monitorId]);
  const serviceId = monitor.data?.service_id;
  const teamId = monitor.data?.team_id;
  const service = useApi((api) => (serviceId ? api.get<Service>(`/v1/services/${encodeURIComponent(serviceId)}`) : Promise.resolve(undefined)), [serviceId]);
  const team = useApi((api) => (teamId ? api.get<Team>(`/v1/teams/${encodeURIComponent(teamId)}`).catch(() => undefined) : Promise.resolve(undefined)), [teamId]);
  const latency = useApi((api) => api.get<MonitorLatency>(`/v1/monitors/${monitorId}/latency`, { window }), [monitorId, window]);
  const from = latency.data?.from;
  const events = useApi((api) => (serviceId && from ? api.all<ChangeEvent>('/v1/events', { service: serviceId, from }, 2) : Promise.resolve([] as ChangeEvent[])), [serviceId, from]);
  const recent = useApi((api) => api.get<{ items: CheckResult[] }>(`/v1/monitors/${monitorId}/results`, { limit: 50 }), [monitorId]);
  const failures = useApi((api) => api.get<{ items: CheckResult[] }>(`/v1/monitors/${monitorId}/results`, { status: 'down,degraded', limit: 10 }), [monitorId]);
  const daily = useApi((api) => api.get<SlaDaily>(`/v1/sla/monitors/${monitorId}/daily`, { days: 90 }), [monitorId]);
  // A state change of this monitor (or of one of its regions) brings new results and failures:
  // what changes with it is reloaded without a page reload (at most once a second).
  useLiveReload(() => {
    state.reload();
    recent.reload();
    failures.reload();
    daily.reload();
  }, (e) => e.type === 'state' && e.subject_type === 'monitor' && e.subject_id === id);

  return (
    <Loaded
      loaded={monitor}
      what="the monitor"
      render={(m) => (
        <article class="monitor-detail">
          <MonitorHeader monitor={m} state={state.data} service={service.data} team={team.data} />
          <section aria-labelledby="latency-heading">
            <div class="section-head">
              <h2 id="latency-heading">Latency per region</h2>
              <WindowPicker windows={windows} value={window} label="Latency window" onChange={(w) => route(`${path}?window=${w}`, true)} />
            </div>
            <p class="hint">p50 solid, p95 dashed, one colour per region; dashed vertical lines mark deploys and other changes of the service.</p>
            <Loaded loaded={latency} what="latency" render={(l) => <LatencyChart latency={l} events={events.data ?? []} />} />
          </section>
          <section aria-labelledby="timings-heading">
            <h2 id="timings-heading">Timing breakdown of recent results</h2>
            <Loaded loaded={recent} what="recent results" render={(r) => <TimingsChart results={r.items} />} />
          </section>
          <section aria-labelledby="uptime-heading">
            <h2 id="uptime-heading">Uptime per day (UTC), last 90 days</h2>
            <Loaded loaded={daily} what="daily uptime" render={(d) => <UptimeBars days={d.days} title="Monitor uptime" />} />
          </section>
          <section aria-labelledby="failures-heading">
            <h2 id="failures-heading">Last failures</h2>
            <Loaded loaded={failures} what="failures" render={(f) => <MonitorFailures failures={f.items} />} />
          </section>
        </article>
      )}
    />
  );
}
