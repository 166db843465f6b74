import { useRef, useState } from 'preact/hooks';
import type { SlaDay } from '../../../contract/sla.schema.ts';
import { duration, percent } from '../format.ts';
import { dayLabel } from './monitor-uptime.label.ts';

/** Bar height in percent of the row: uptime stretched so that 90 %–100 % spans most of it; a day without data is a low hatched bar. */
const heightOf = (d: SlaDay) => (d.uptime_ratio === null ? 30 : Math.max(12, 100 - (1 - d.uptime_ratio) * 880));

/**
 * One bar per day, oldest left: height from uptime, colour from the worst state plus a pattern
 * (stripes: down, dots: degraded, hatching: no data), so state never depends on colour. One tab stop:
 * arrow keys, Home and End move between days; each day's name says its date, uptime and downtime.
 */
export function UptimeBars({ days, title }: { days: readonly SlaDay[]; title: string }) {
  const [focus, setFocus] = useState(days.length - 1);
  const [table, setTable] = useState(false);
  const list = useRef<HTMLOListElement>(null);
  const move = (to: number) => {
    const i = Math.max(0, Math.min(days.length - 1, to));
    setFocus(i);
    (list.current?.children[i]?.firstElementChild as HTMLElement | null)?.focus();
  };
  const onKey = (e: KeyboardEvent, i: number) => {
    const to = { ArrowLeft: i - 1, ArrowRight: i + 1, Home: 0, End: days.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    move(to);
  };
  const observed = days.filter((d) => d.uptime_ratio !== null);
  const totalObserved = observed.reduce((s, d) => s + d.observed_seconds, 0);
  const totalDown = observed.reduce((s, d) => s + d.downtime_seconds, 0);
  const current = days[focus];
  return (
    <div class="uptime">
      <p class="uptime-summary">
        {title}: {totalObserved > 0 ? `${percent((totalObserved - totalDown) / totalObserved)} up over ${days.length} days, down ${duration(totalDown)}` : `no data in ${days.length} days`}.
      </p>
      <ol class="uptime-bars" ref={list} aria-label={`${title}, one bar per day, oldest first; arrow keys move between days`}>
        {days.map((d, i) => (
          <li key={d.date}>
            <span
              class={`uptime-bar day-${d.uptime_ratio === null ? 'none' : d.worst_state}`}
              role="img"
              tabIndex={i === focus ? 0 : -1}
              aria-label={dayLabel(d)}
              title={dayLabel(d)}
              data-date={d.date}
              style={{ height: `${heightOf(d)}%` }}
              onKeyDown={(e) => onKey(e, i)}
              onFocus={() => setFocus(i)}
            />
          </li>
        ))}
      </ol>
      <p class="uptime-current" aria-live="polite">{current ? dayLabel(current) : ''}</p>
      <p class="uptime-legend hint">
        <span class="uptime-key day-up" aria-hidden="true" /> up <span class="uptime-key day-degraded" aria-hidden="true" /> degraded (dots) <span class="uptime-key day-down" aria-hidden="true" /> down (stripes) <span class="uptime-key day-none" aria-hidden="true" /> no data (hatched, low); a lower bar means more downtime.
      </p>
      <button type="button" class="secondary" aria-expanded={table} onClick={() => setTable(!table)}>{table ? 'Hide the table' : 'Show as table'}</button>
      {table ? (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={`${title} per day`}>
          <table class="uptime-table">
            <thead><tr><th scope="col">day (UTC)</th><th scope="col">uptime</th><th scope="col">downtime</th><th scope="col">maintenance</th><th scope="col">worst state</th></tr></thead>
            <tbody>
              {days.slice().reverse().map((d) => (
                <tr key={d.date}><td>{d.date}</td><td>{d.uptime_ratio === null ? 'no data' : percent(d.uptime_ratio)}</td><td>{duration(d.downtime_seconds)}</td><td>{duration(d.maintenance_seconds)}</td><td>{d.worst_state}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
