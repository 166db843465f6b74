import { StateBadge } from './common.component.tsx';
import { errorCode, lastCheck, type StatusMonitor } from '../health-filter.ts';
import { ago, when } from '../format.ts';

const causeText: Record<string, string> = { no_runner: 'no runner', no_data: 'no data' };

function LastCheck({ at }: { at: string | undefined }) {
  if (!at) return <span class="muted">never</span>;
  return <time dateTime={at} title={when(at)}>{ago(at)}</time>;
}

/** A monitor's regions, each with its own state (and why it is unknown, when it is). */
function Regions({ monitor }: { monitor: StatusMonitor }) {
  if (monitor.regions.length === 0) return <span class="muted">not run yet</span>;
  return (
    <ul class="regions">
      {monitor.regions.map((r) => (
        <li key={r.region}>
          <span class="region-name">{r.region}</span> <StateBadge state={r.state} />
          {r.cause ? <span class="muted"> {causeText[r.cause] ?? r.cause}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** The error codes of a monitor's failing regions ("us-east-1: timeout"), the message on hover. */
function Errors({ monitor }: { monitor: StatusMonitor }) {
  const failing = monitor.regions.filter((r) => r.state !== 'up' && r.last_error);
  if (failing.length === 0) return <span class="muted">none</span>;
  return (
    <ul class="errors">
      {failing.map((r) => (
        <li key={r.region} title={r.last_error}>
          {monitor.regions.length > 1 ? `${r.region}: ` : ''}<code>{errorCode(r.last_error)}</code>
        </li>
      ))}
    </ul>
  );
}

/** A service's monitors as a table: name (a link to its detail), state, regions, last check, errors. */
export function HealthMonitors({ monitors, caption }: { monitors: StatusMonitor[]; caption: string }) {
  if (monitors.length === 0) return <p class="muted">No monitor checks this service.</p>;
  return (
    <div class="table-wrap">
      <table class="monitors">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Monitor</th>
            <th scope="col">State</th>
            <th scope="col">Regions</th>
            <th scope="col">Last check</th>
            <th scope="col">Errors</th>
          </tr>
        </thead>
        <tbody>
          {monitors.map((m) => (
            <tr key={m.id}>
              <th scope="row">
                <a href={`/monitors/${m.id}`}>{m.name}</a>
                <span class="muted"> {m.type}{m.enabled ? '' : ', paused'}</span>
              </th>
              <td><StateBadge state={m.state} /></td>
              <td><Regions monitor={m} /></td>
              <td><LastCheck at={lastCheck(m)} /></td>
              <td><Errors monitor={m} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
