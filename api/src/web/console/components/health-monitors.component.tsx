import { StateBadge } from './common.component.tsx';
import { errorCode, lastCheck, type StatusMonitor } from '../health-filter.ts';
import { ago, when } from '../format.ts';

const columns = ['Monitor', 'State', 'Regions', 'Last check', 'Errors'] as const;
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
      {/* The explicit roles keep the table a table for assistive technology when a narrow screen lays its rows out as cards. */}
      <table class="monitors" role="table">
        <caption class="visually-hidden">{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            {columns.map((c) => <th key={c} scope="col" role="columnheader">{c}</th>)}
          </tr>
        </thead>
        <tbody role="rowgroup">
          {monitors.map((m) => (
            <tr key={m.id} role="row">
              <th scope="row" role="rowheader">
                <a href={`/monitors/${m.id}`}>{m.name}</a>
                <span class="muted"> {m.type}{m.enabled ? '' : ', paused'}</span>
              </th>
              <td role="cell" data-label="State"><StateBadge state={m.state} /></td>
              <td role="cell" data-label="Regions"><Regions monitor={m} /></td>
              <td role="cell" data-label="Last check"><LastCheck at={lastCheck(m)} /></td>
              <td role="cell" data-label="Errors"><Errors monitor={m} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
