import { h, type ComponentChild, type ComponentChildren } from 'preact';
import type { ComponentStatus, PublicIncident, PublicMaintenance, StatusPageSummary, UptimeDay } from '../../../contract/status-page.schema.ts';

// A status page as its readers see it, from its summary alone. Rendered to HTML by the server for the
// public page (/status/{slug}, no script) and by the console for the internal view of a page, so both
// look the same; its rules are in api/src/web/status-page.css. Written with h() (no JSX) so the
// server runs it as plain TypeScript. Dates are shown in UTC, so the server and the browser agree.

const words: Record<ComponentStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
  unknown: 'No data',
};

// A symbol next to each status word, so the status never rests on colour alone.
const symbols: Record<ComponentStatus, string> = {
  operational: '✓',
  degraded_performance: '!',
  partial_outage: '!',
  major_outage: '✕',
  under_maintenance: '⚒',
  unknown: '?',
};

const incidentStates: Record<PublicIncident['state'], string> = { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' };

/** "2026-12-01 18:20 UTC". */
export function utcTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** A ratio as "99.95 %" (two decimals, never rounded up to 100 % while anything was down). */
export function uptimePercent(ratio: number | null): string {
  if (ratio === null) return 'no data';
  const floored = Math.floor(ratio * 10_000) / 100;
  return `${floored.toFixed(2)} %`;
}

const StatusWord = (status: ComponentStatus): ComponentChild =>
  h('span', { class: `sp-status sp-s-${status}` }, h('span', { class: 'sp-symbol', 'aria-hidden': 'true' }, symbols[status]), ` ${words[status]}`);

function dayLabel(d: UptimeDay): string {
  const down = d.downtime_seconds > 0 ? `, down ${Math.round(d.downtime_seconds / 60)} min` : '';
  return `${d.date}: ${d.uptime_ratio === null ? 'no data' : `${uptimePercent(d.uptime_ratio)} uptime`}${down}, ${words[d.status].toLowerCase()}`;
}

function Bars(name: string, days: readonly UptimeDay[], historyDays: number): ComponentChild {
  const trouble = days.filter((d) => d.status !== 'operational' && d.status !== 'unknown');
  // On a phone a long history shows its last 30 days (the stylesheet hides the older bars).
  const long = days.length > 30;
  return h(
    'div',
    { class: long ? 'sp-history sp-long' : 'sp-history' },
    h(
      'ol',
      { class: 'sp-bars', 'aria-label': `${name}: uptime per day, last ${historyDays} days, oldest first` },
      days.map((d) => h('li', { key: d.date, class: `sp-day sp-s-${d.status}`, title: dayLabel(d) }, h('span', { class: 'sp-vh' }, dayLabel(d)))),
    ),
    h('div', { class: 'sp-axis', 'aria-hidden': 'true' }, h('span', { class: 'sp-axis-long' }, `${historyDays} days ago`), long ? h('span', { class: 'sp-axis-short' }, '30 days ago') : null, h('span', null, 'Today')),
    trouble.length > 0
      ? h(
          'details',
          { class: 'sp-trouble' },
          h('summary', null, `${trouble.length} day${trouble.length === 1 ? '' : 's'} with trouble`),
          h('ul', null, trouble.slice().reverse().map((d) => h('li', { key: d.date }, dayLabel(d)))),
        )
      : null,
  );
}

function Component(c: StatusPageSummary['groups'][number]['components'][number], historyDays: number): ComponentChild {
  return h(
    'li',
    { class: 'sp-component' },
    h(
      'div',
      { class: 'sp-component-head' },
      h('h4', { class: 'sp-name' }, c.name),
      StatusWord(c.status),
    ),
    c.description ? h('p', { class: 'sp-description' }, c.description) : null,
    h('p', { class: 'sp-uptime' }, c.uptime_ratio === null ? `No uptime data in the last ${historyDays} days` : `${uptimePercent(c.uptime_ratio)} uptime in the last ${historyDays} days`),
    Bars(c.name, c.days, historyDays),
  );
}

function Incident(i: PublicIncident): ComponentChild {
  return h(
    'article',
    { class: `sp-incident sp-impact-${i.impact}`, 'aria-labelledby': `sp-${i.id}` },
    h('h3', { id: `sp-${i.id}` }, i.title),
    h(
      'p',
      { class: 'sp-meta' },
      h('span', { class: 'sp-incident-state' }, incidentStates[i.state]),
      ` · started ${utcTime(i.started_at)}`,
      i.resolved_at ? ` · resolved ${utcTime(i.resolved_at)}` : null,
      ` · ${words[i.impact].toLowerCase()}`,
    ),
    i.updates.length > 0
      ? h('ol', { class: 'sp-updates', 'aria-label': 'Updates, newest first' }, i.updates.map((u, n) => h('li', { key: `${u.at}-${n}` }, h('time', { dateTime: u.at }, utcTime(u.at)), h('p', { class: 'sp-text' }, u.text))))
      : h('p', { class: 'sp-muted' }, i.resolved_at ? 'No updates were posted.' : 'We are looking into it; updates follow here.'),
  );
}

function Maintenance(m: PublicMaintenance, n: number): ComponentChild {
  return h(
    'li',
    { key: `${m.starts_at}-${n}`, class: 'sp-maintenance' },
    h('p', { class: 'sp-maintenance-when' }, h('strong', null, m.in_progress ? 'In progress' : 'Scheduled'), ` · ${utcTime(m.starts_at)} to ${utcTime(m.ends_at)}`),
    h('p', null, m.components.join(', ')),
  );
}

function Section(id: string, title: string, children: ComponentChildren): ComponentChild {
  return h('section', { class: 'sp-section', 'aria-labelledby': id }, h('h2', { id }, title), children);
}

/** The page: title, custom text, overall banner, maintenance, open incidents, components with their bars, resolved incidents, last update. */
export function StatusPageBody({ summary, note }: { summary: StatusPageSummary; note?: ComponentChildren }): ComponentChild {
  const { page, status, groups, incidents, maintenance } = summary;
  return h(
    'div',
    { class: 'sp' },
    h('header', { class: 'sp-header' }, h('h1', null, page.title), note ?? null, page.custom_text ? h('p', { class: 'sp-text sp-custom' }, page.custom_text) : null),
    h('p', { class: `sp-banner sp-s-${status.indicator}`, role: 'status' }, h('span', { class: 'sp-symbol', 'aria-hidden': 'true' }, symbols[status.indicator]), ` ${status.description}`),
    maintenance.length > 0 ? Section('sp-maintenance', 'Maintenance', h('ul', { class: 'sp-list' }, maintenance.map(Maintenance))) : null,
    incidents.open.length > 0 ? Section('sp-open', 'Current incidents', incidents.open.map((i) => Incident(i))) : null,
    Section(
      'sp-components',
      'Components',
      [groups.map((g, n) =>
        h(
          'div',
          { key: g.name ?? `ungrouped-${n}`, class: 'sp-group' },
          g.name ? h('h3', null, g.name) : h('h3', { class: 'sp-vh' }, 'Other components'),
          h('ul', { class: 'sp-components' }, g.components.map((c) => Component(c, page.history_days))),
        ),
      ),
      h('p', { class: 'sp-legend' }, 'Each bar is one UTC day; its label gives the uptime and status of the day. ', ...(['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance', 'unknown'] as const).map((s) => h('span', { key: s, class: 'sp-key' }, h('span', { class: `sp-swatch sp-s-${s}`, 'aria-hidden': 'true' }), words[s])))],
    ),
    Section('sp-history', `Past incidents (last ${page.history_days} days)`, incidents.recent.length > 0 ? incidents.recent.map((i) => Incident(i)) : h('p', { class: 'sp-muted' }, `No incidents in the last ${page.history_days} days.`)),
    h('p', { class: 'sp-updated' }, 'Last updated ', h('time', { dateTime: page.updated_at }, utcTime(page.updated_at)), '.'),
  );
}
