import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ComponentStatus } from '../src/contract/status-page.schema.ts';
import type { State } from '../src/contract/state.schema.ts';
import {
  componentStatus, dayStatus, daysBetween, incidentImpact, incidentTitle, overallStatus, pageMaintenance, publicIncidentId, publicIncidentState, uptimeOver, windowCovers, worstStatus, type PageWindow, type ServiceNow,
} from '../src/modules/status-pages/status-page.logic.ts';

const regions = (...pairs: Array<[string, State]>) => pairs.map(([region, state]) => ({ region, state }));
const now = (state: State | undefined, r: ServiceNow['regions'] = [], inMaintenance = false): ServiceNow => ({ state, regions: r, inMaintenance });

const componentCases: Array<[string, ServiceNow, ComponentStatus]> = [
  ['up → operational', now('up', regions(['eu', 'up'], ['us', 'up'])), 'operational'],
  ['degraded → degraded performance', now('degraded', regions(['eu', 'degraded'], ['us', 'up'])), 'degraded_performance'],
  ['down in one of two regions → partial outage', now('down', regions(['eu', 'down'], ['us', 'up'])), 'partial_outage'],
  ['down in one region, degraded in the other → partial outage', now('down', regions(['eu', 'down'], ['us', 'degraded'])), 'partial_outage'],
  ['down in every region → major outage', now('down', regions(['eu', 'down'], ['us', 'down'])), 'major_outage'],
  ['down where it reports, the rest unknown → major outage', now('down', regions(['eu', 'down'], ['us', 'unknown'])), 'major_outage'],
  ['a region is down when any monitor is down there', now('down', regions(['eu', 'down'], ['eu', 'up'], ['us', 'down'])), 'major_outage'],
  ['down with no region states (heartbeat) → major outage', now('down'), 'major_outage'],
  ['unknown → unknown', now('unknown', regions(['eu', 'unknown'])), 'unknown'],
  ['no state row yet → unknown', now(undefined), 'unknown'],
  ['maintenance wins over down', now('down', regions(['eu', 'down']), true), 'under_maintenance'],
  ['maintenance wins over no data', now(undefined, [], true), 'under_maintenance'],
];
for (const [name, input, expected] of componentCases) test(`componentStatus: ${name}`, () => assert.equal(componentStatus(input), expected));

const overallCases: Array<[ComponentStatus[], ComponentStatus, string]> = [
  [['operational', 'operational'], 'operational', 'All systems operational'],
  [['operational', 'partial_outage'], 'partial_outage', 'Partial outage'],
  [['partial_outage', 'major_outage', 'degraded_performance'], 'major_outage', 'Major outage'],
  [['operational', 'degraded_performance'], 'degraded_performance', 'Degraded performance'],
  [['operational', 'under_maintenance'], 'under_maintenance', 'Under maintenance'],
  [['under_maintenance', 'partial_outage'], 'partial_outage', 'Partial outage'],
  [['operational', 'unknown'], 'operational', 'All systems operational'],
  [['unknown', 'unknown'], 'unknown', 'Status unknown'],
  [[], 'operational', 'All systems operational'],
];
for (const [input, indicator, description] of overallCases) {
  test(`overallStatus(${input.join(', ') || 'none'}) = ${indicator}`, () => assert.deepEqual(overallStatus(input), { indicator, description }));
}

test('worstStatus ranks unknown below trouble and above operational', () => {
  assert.equal(worstStatus(['operational', 'unknown']), 'unknown');
  assert.equal(worstStatus(['unknown', 'degraded_performance']), 'degraded_performance');
  assert.equal(worstStatus([]), 'operational');
});

const day = (over: Partial<{ uptime_ratio: number | null; observed_seconds: number; maintenance_seconds: number; worst_state: State; downtime_seconds: number }>) => ({
  uptime_ratio: 1, observed_seconds: 86_400, maintenance_seconds: 0, worst_state: 'up' as State, downtime_seconds: 0, ...over,
});
const dayCases: Array<[string, ReturnType<typeof day>, ComponentStatus]> = [
  ['all up', day({}), 'operational'],
  ['degraded at some point', day({ worst_state: 'degraded' }), 'degraded_performance'],
  ['down 10 minutes (99.3 %)', day({ worst_state: 'down', downtime_seconds: 600, uptime_ratio: 1 - 600 / 86_400 }), 'partial_outage'],
  ['down exactly 5 % of the day → partial', day({ worst_state: 'down', downtime_seconds: 4_320, uptime_ratio: 0.95 }), 'partial_outage'],
  ['down 6 hours (75 %)', day({ worst_state: 'down', downtime_seconds: 21_600, uptime_ratio: 0.75 }), 'major_outage'],
  ['nothing observed', day({ uptime_ratio: null, observed_seconds: 0, worst_state: 'unknown' }), 'unknown'],
  ['nothing observed, all maintenance', day({ uptime_ratio: null, observed_seconds: 0, maintenance_seconds: 86_400, worst_state: 'unknown' }), 'under_maintenance'],
  ['some maintenance, otherwise up', day({ maintenance_seconds: 3_600, observed_seconds: 82_800 }), 'operational'],
];
for (const [name, input, expected] of dayCases) test(`dayStatus: ${name}`, () => assert.equal(dayStatus(input), expected));

test('uptimeOver weighs days by their observed time; null when nothing was observed', () => {
  assert.equal(uptimeOver([]), null);
  assert.equal(uptimeOver([{ observed_seconds: 0, downtime_seconds: 0 }]), null);
  assert.equal(uptimeOver([{ observed_seconds: 86_400, downtime_seconds: 0 }, { observed_seconds: 43_200, downtime_seconds: 43_200 }]), 86_400 / 129_600);
  assert.equal(uptimeOver([{ observed_seconds: 100, downtime_seconds: 0 }, { observed_seconds: 0, downtime_seconds: 0 }]), 1);
});

const titleCases: Array<[ComponentStatus, string[], string]> = [
  ['major_outage', ['Checkout', 'Payments'], 'Outage: Checkout, Payments'],
  ['partial_outage', ['Checkout'], 'Partial outage: Checkout'],
  ['degraded_performance', ['Search'], 'Degraded performance: Search'],
  ['major_outage', ['A', 'B', 'C', 'D', 'E'], 'Outage: A, B, C and 2 more'],
  ['unknown', ['A'], 'Incident: A'],
  ['major_outage', [], 'Outage'],
];
for (const [impact, names, expected] of titleCases) test(`incidentTitle(${impact}, ${names.length} names) = "${expected}"`, () => assert.equal(incidentTitle(impact, names), expected));

test('incidentImpact: the worst status now while open, else the worst of its days; at least degraded performance', () => {
  assert.equal(incidentImpact(['operational', 'partial_outage'], ['major_outage']), 'partial_outage', 'open: how it is now');
  assert.equal(incidentImpact(['operational'], ['operational', 'major_outage']), 'major_outage', 'recovering: the worst of its days');
  assert.equal(incidentImpact([], ['partial_outage', 'operational']), 'partial_outage', 'resolved: the worst of its days');
  assert.equal(incidentImpact(['operational'], ['operational']), 'degraded_performance');
  assert.equal(incidentImpact(['unknown', 'under_maintenance'], ['unknown']), 'degraded_performance');
  assert.equal(incidentImpact([], []), 'degraded_performance');
});

test('publicIncidentId: stable, per page, and neither the internal id nor the number', () => {
  const a = publicIncidentId('status_page_1', 'incident_01JABC');
  assert.equal(a, publicIncidentId('status_page_1', 'incident_01JABC'));
  assert.notEqual(a, publicIncidentId('status_page_2', 'incident_01JABC'));
  assert.notEqual(a, publicIncidentId('status_page_1', 'incident_01JABD'));
  assert.match(a, /^inc_[A-Za-z0-9_-]{16}$/);
  assert.ok(!a.includes('01JABC'));
});

test('publicIncidentState keeps the four public words', () => {
  for (const s of ['investigating', 'identified', 'monitoring', 'resolved'] as const) assert.equal(publicIncidentState(s), s);
  assert.equal(publicIncidentState('something-new'), 'investigating');
});

test('daysBetween: the UTC days an interval touches', () => {
  assert.deepEqual(daysBetween(Date.parse('2026-11-29T23:00:00Z'), Date.parse('2026-12-01T00:30:00Z')), ['2026-11-29', '2026-11-30', '2026-12-01']);
  assert.deepEqual(daysBetween(Date.parse('2026-12-01T10:00:00Z'), Date.parse('2026-12-01T11:00:00Z')), ['2026-12-01']);
  assert.equal(daysBetween(0, 10 * 365 * 86_400_000, 30).length, 30);
});

const team = 'team_a';
const svc = (id: string, team_id = team) => ({ id, team_id });
const win = (over: Partial<PageWindow>): PageWindow => ({ starts_at: '2026-12-01T10:00:00Z', ends_at: '2026-12-01T12:00:00Z', team_id: team, ...over });

test('windowCovers: named services, or the whole team when it names nothing; monitor-only windows do not cover the service', () => {
  assert.equal(windowCovers(win({ service_ids: ['s1'] }), svc('s1')), true);
  assert.equal(windowCovers(win({ service_ids: ['s1'] }), svc('s2')), false);
  assert.equal(windowCovers(win({}), svc('s2')), true);
  assert.equal(windowCovers(win({}), svc('s2', 'team_b')), false);
  assert.equal(windowCovers(win({ monitor_ids: ['m1'] }), svc('s1')), false);
});

test('pageMaintenance: in progress or within 7 days, covering page components, soonest first', () => {
  const t = Date.parse('2026-12-01T11:00:00Z');
  const spans = pageMaintenance(
    [
      win({ service_ids: ['s2'], starts_at: '2026-12-03T00:00:00Z', ends_at: '2026-12-03T02:00:00Z' }),
      win({ service_ids: ['s1'] }),
      win({ service_ids: ['s1'], starts_at: '2026-11-30T00:00:00Z', ends_at: '2026-11-30T01:00:00Z' }),
      win({ service_ids: ['s1'], starts_at: '2026-12-09T00:00:00Z', ends_at: '2026-12-09T01:00:00Z' }),
      win({ service_ids: ['elsewhere'] }),
    ],
    [svc('s1'), svc('s2')],
    t,
  );
  assert.deepEqual(spans, [
    { starts_at: '2026-12-01T10:00:00.000Z', ends_at: '2026-12-01T12:00:00.000Z', components: [0], in_progress: true },
    { starts_at: '2026-12-03T00:00:00.000Z', ends_at: '2026-12-03T02:00:00.000Z', components: [1], in_progress: false },
  ]);
});

test('pageMaintenance: a recurring window gives one span per occurrence in the next 7 days', () => {
  const t = Date.parse('2026-12-01T12:00:00Z');
  const spans = pageMaintenance([win({ starts_at: '2026-01-01T00:00:00Z', ends_at: '2027-01-01T00:00:00Z', recurrence: { cron: '0 3 * * *', duration: '1h', timezone: 'UTC' } })], [svc('s1')], t);
  assert.equal(spans.length, 7);
  assert.deepEqual(spans[0], { starts_at: '2026-12-02T03:00:00.000Z', ends_at: '2026-12-02T04:00:00.000Z', components: [0], in_progress: false });
  assert.ok(spans.every((s) => !s.in_progress));
});
