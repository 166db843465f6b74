import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChangeEvent } from '../src/contract/change-event.schema.ts';
import type { SlaDay } from '../src/contract/sla.schema.ts';
import { alignLatency, markersOf } from '../src/web/console/components/chart-latency.data.ts';
import { budgetSeries, mapLimited, sloWindowDays } from '../src/web/console/components/sla-budget.ts';
import { dayLabel } from '../src/web/console/components/monitor-uptime.label.ts';

// The pure parts of the console's charts: aligned columns, markers, the budget burn per day.

const day = (date: string, observed: number, down: number, extra: Partial<SlaDay> = {}): SlaDay => ({
  date, uptime_ratio: observed > 0 ? (observed - down) / observed : null, downtime_seconds: down, observed_seconds: observed, maintenance_seconds: 0, worst_state: down > 0 ? 'down' : observed > 0 ? 'up' : 'unknown', ...extra,
});

test('alignLatency: one x column over every region, nulls where a region has no step', () => {
  const cols = alignLatency([
    { region: 'a', p50: 1, p95: 2, count: 2, points: [{ t: '2026-12-01T10:00:00.000Z', p50: 1, p95: 2, count: 1 }, { t: '2026-12-01T10:05:00.000Z', p50: 3, p95: 4, count: 1 }] },
    { region: 'b', p50: 5, p95: 6, count: 1, points: [{ t: '2026-12-01T10:10:00.000Z', p50: 5, p95: 6, count: 1 }] },
  ]);
  const t0 = Date.parse('2026-12-01T10:00:00Z') / 1000;
  assert.deepEqual(cols, [[t0, t0 + 300, t0 + 600], [1, 3, null], [2, 4, null], [null, null, 5], [null, null, 6]]);
});

test('markersOf: events inside the window, oldest first, labelled kind and version', () => {
  const ev = (at: string, kind: ChangeEvent['kind'], version?: string) => ({ id: at, service_id: 's', service_name: 's', team_id: 't', kind, at, created_at: at, created_by: { type: 'api_token', id: 'x', name: 'ci' }, ...(version ? { version } : {}) }) as ChangeEvent;
  const markers = markersOf([ev('2026-12-01T12:00:00Z', 'feature_flag'), ev('2026-12-01T11:00:00Z', 'deploy', 'v2'), ev('2026-11-01T00:00:00Z', 'deploy', 'old')], '2026-12-01T00:00:00Z', '2026-12-02T00:00:00Z');
  assert.deepEqual(markers.map((m) => m.label), ['deploy v2', 'feature flag']);
});

const budgetCases: Array<[string, SlaDay[], number, Array<[number | null, number | null]>]> = [
  ['no downtime keeps the whole budget', [day('d1', 86400, 0), day('d2', 86400, 0)], 99.9, [[100, 100], [100, 100]]],
  // 99 % of 2 days allows 1,728 s; 864 s down on day 2 leaves half of it.
  ['half the budget spent on day 2', [day('d1', 86400, 0), day('d2', 86400, 864)], 99, [[100, 100], [50, 99.5]]],
  ['overspent goes negative', [day('d1', 86400, 1728)], 99, [[-100, 98]]],
  ['days without data carry nothing forward', [day('d1', 0, 0), day('d2', 86400, 432)], 99, [[null, null], [50, 99.5]]],
  ['a 100 % target has no budget: any downtime overspends it', [day('d1', 86400, 0), day('d2', 86400, 1)], 100, [[100, 100], [-100, 100]]],
];
for (const [name, days, target, want] of budgetCases) {
  test(`budgetSeries: ${name}`, () => {
    assert.deepEqual(budgetSeries(days, target).map((p) => [p.remaining, p.attained]), want);
  });
}

test('sloWindowDays: rolling windows are their length, calendar ones run from the 1st', () => {
  const now = Date.UTC(2026, 11, 15, 12); // 15 December, quarter from 1 October
  assert.equal(sloWindowDays('rolling_7d', now), 7);
  assert.equal(sloWindowDays('rolling_28d', now), 28);
  assert.equal(sloWindowDays(undefined, now), 30);
  assert.equal(sloWindowDays('calendar_month', now), 15);
  assert.equal(sloWindowDays('calendar_quarter', now), 31 + 30 + 15);
});

test('dayLabel: date, uptime and downtime in words', () => {
  assert.equal(dayLabel(day('2026-12-01', 86400, 120)), '2026-12-01: 99.861 % up, down 2 min');
  assert.equal(dayLabel(day('2026-12-02', 0, 0, { maintenance_seconds: 3600 })), '2026-12-02: no data, maintenance 1 h');
});

test('mapLimited keeps the order and never runs more than the limit at once', async () => {
  let running = 0;
  let most = 0;
  const out = await mapLimited([5, 1, 4, 2, 3], 2, async (n) => {
    most = Math.max(most, ++running);
    await new Promise((r) => setTimeout(r, n));
    running--;
    return n * 10;
  });
  assert.deepEqual(out, [50, 10, 40, 20, 30]);
  assert.equal(most, 2);
});
