import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coversMonitor, coversService, excludedWindows, expandWindow, type MaintenanceWindowDoc } from '../src/modules/sla/maintenance.expand.ts';
import { resolutionFor, resolveWindow } from '../src/modules/sla/sla.window.ts';
import { PharosError } from '../src/contract/errors.ts';

const at = (s: string) => Date.parse(s);
const span = (a: string, b: string) => ({ start: at(a), end: at(b) });
const range = (a: string, b: string) => span(a, b);

const expandCases: Array<[string, Parameters<typeof expandWindow>[0], ReturnType<typeof range>, Array<ReturnType<typeof span>>]> = [
  ['one-off window inside the range', { starts_at: '2026-11-10T02:00:00Z', ends_at: '2026-11-10T03:00:00Z' }, range('2026-11-01T00:00:00Z', '2026-11-30T00:00:00Z'), [span('2026-11-10T02:00:00Z', '2026-11-10T03:00:00Z')]],
  ['one-off window clipped to the range', { starts_at: '2026-10-31T23:00:00Z', ends_at: '2026-11-01T01:00:00Z' }, range('2026-11-01T00:00:00Z', '2026-11-30T00:00:00Z'), [span('2026-11-01T00:00:00Z', '2026-11-01T01:00:00Z')]],
  ['one-off window outside the range', { starts_at: '2026-12-01T00:00:00Z', ends_at: '2026-12-02T00:00:00Z' }, range('2026-11-01T00:00:00Z', '2026-11-30T00:00:00Z'), []],
  [
    'daily recurrence, one span per day',
    { starts_at: '2026-01-01T00:00:00Z', ends_at: '2027-01-01T00:00:00Z', recurrence: { cron: '0 2 * * *', duration: '1h' } },
    range('2026-11-01T00:00:00Z', '2026-11-04T00:00:00Z'),
    [span('2026-11-01T02:00:00Z', '2026-11-01T03:00:00Z'), span('2026-11-02T02:00:00Z', '2026-11-02T03:00:00Z'), span('2026-11-03T02:00:00Z', '2026-11-03T03:00:00Z')],
  ],
  [
    'an occurrence that started before the range still counts inside it',
    { starts_at: '2026-01-01T00:00:00Z', ends_at: '2027-01-01T00:00:00Z', recurrence: { cron: '30 23 * * *', duration: '1h' } },
    range('2026-11-02T00:00:00Z', '2026-11-02T12:00:00Z'),
    [span('2026-11-02T00:00:00Z', '2026-11-02T00:30:00Z')],
  ],
  [
    'cron in a time zone (Berlin is UTC+1 in November)',
    { starts_at: '2026-01-01T00:00:00Z', ends_at: '2027-01-01T00:00:00Z', recurrence: { cron: '0 2 * * SUN', duration: '30m', timezone: 'Europe/Berlin' } },
    range('2026-11-20T00:00:00Z', '2026-11-30T00:00:00Z'),
    [span('2026-11-22T01:00:00Z', '2026-11-22T01:30:00Z'), span('2026-11-29T01:00:00Z', '2026-11-29T01:30:00Z')],
  ],
  [
    'occurrences stop at ends_at and are cut by it',
    { starts_at: '2026-11-01T00:00:00Z', ends_at: '2026-11-02T02:30:00Z', recurrence: { cron: '0 2 * * *', duration: '1h' } },
    range('2026-11-01T00:00:00Z', '2026-11-05T00:00:00Z'),
    [span('2026-11-01T02:00:00Z', '2026-11-01T03:00:00Z'), span('2026-11-02T02:00:00Z', '2026-11-02T02:30:00Z')],
  ],
  [
    'occurrences start no earlier than starts_at',
    { starts_at: '2026-11-02T00:00:00Z', ends_at: '2027-01-01T00:00:00Z', recurrence: { cron: '0 2 * * *', duration: '1h' } },
    range('2026-11-01T00:00:00Z', '2026-11-03T00:00:00Z'),
    [span('2026-11-02T02:00:00Z', '2026-11-02T03:00:00Z')],
  ],
  [
    'overlapping occurrences merge',
    { starts_at: '2026-11-01T00:00:00Z', ends_at: '2026-11-01T01:00:00Z', recurrence: { cron: '*/10 * * * *', duration: '15m' } },
    range('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z'),
    [span('2026-11-01T00:00:00Z', '2026-11-01T01:00:00Z')],
  ],
];
for (const [name, window, r, expected] of expandCases) test(`expandWindow: ${name}`, () => assert.deepEqual(expandWindow(window, r), expected));

const doc = (over: Partial<MaintenanceWindowDoc>): MaintenanceWindowDoc => ({ id: 'maintenance_window_1', name: 'mw', team_id: 'team_a', starts_at: '2026-11-01T00:00:00Z', ends_at: '2026-11-01T01:00:00Z', ...over });
const monitor = { id: 'monitor_1', service_id: 'service_1', team_id: 'team_a' };
const scopeCases: Array<[string, Partial<MaintenanceWindowDoc>, boolean, boolean]> = [
  // name, window, covers monitor_1 (of service_1), covers service_1
  ['both lists empty: every service of the team', {}, true, true],
  ['both lists empty, another team', { team_id: 'team_b' }, false, false],
  ['names the monitor', { monitor_ids: ['monitor_1'] }, true, false],
  ['names another monitor', { monitor_ids: ['monitor_2'] }, false, false],
  ['names the service', { service_ids: ['service_1'] }, true, true],
  ['names another service', { service_ids: ['service_2'] }, false, false],
  ['exclude_from_sla false', { exclude_from_sla: false }, false, false],
];
for (const [name, over, coversM, coversS] of scopeCases) {
  test(`maintenance scope: ${name}`, () => {
    assert.equal(coversMonitor(doc(over), monitor), coversM);
    assert.equal(coversService(doc(over), { id: 'service_1', team_id: 'team_a' }), coversS);
  });
}

test('excludedWindows drops windows without time in the range', () => {
  const windows = [doc({ id: 'a' }), doc({ id: 'b', starts_at: '2027-01-01T00:00:00Z', ends_at: '2027-01-02T00:00:00Z' }), doc({ id: 'c', exclude_from_sla: false })];
  const out = excludedWindows(windows, (w) => coversMonitor(w, monitor), range('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z'));
  assert.deepEqual(out.map((w) => w.id), ['a']);
});

const now = at('2026-11-22T12:00:00Z');
const day = 86_400_000;
const windowCases: Array<[string, Parameters<typeof resolveWindow>[0], { from: number; to: number; label?: string } | { pointer: string }]> = [
  ['default is 30 days ending now', {}, { from: now - 30 * day, to: now, label: '30d' }],
  ['24h', { window: '24h' }, { from: now - day, to: now, label: '24h' }],
  ['90d', { window: '90d' }, { from: now - 90 * day, to: now, label: '90d' }],
  ['from/to', { from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }, { from: at('2026-11-01T00:00:00Z'), to: at('2026-11-02T00:00:00Z') }],
  ['from/to win over window', { window: '7d', from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }, { from: at('2026-11-01T00:00:00Z'), to: at('2026-11-02T00:00:00Z') }],
  ['from alone runs until now', { from: '2026-11-21T00:00:00Z' }, { from: at('2026-11-21T00:00:00Z'), to: now }],
  ['a future to is cut to now', { from: '2026-11-21T00:00:00Z', to: '2026-12-01T00:00:00Z' }, { from: at('2026-11-21T00:00:00Z'), to: now }],
  ['to alone', { to: '2026-11-02T00:00:00Z' }, { pointer: '/from' }],
  ['to before from', { from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' }, { pointer: '/to' }],
  ['to equal to from', { from: '2026-11-02T00:00:00Z', to: '2026-11-02T00:00:00Z' }, { pointer: '/to' }],
  ['longer than 400 days', { from: '2025-01-01T00:00:00Z', to: '2026-11-01T00:00:00Z' }, { pointer: '/from' }],
  ['from in the future', { from: '2026-12-01T00:00:00Z', to: '2026-12-02T00:00:00Z' }, { pointer: '/from' }],
];
for (const [name, query, expected] of windowCases) {
  test(`resolveWindow: ${name}`, () => {
    if ('pointer' in expected) {
      assert.throws(() => resolveWindow(query, now), (e: unknown) => e instanceof PharosError && e.code === 'validation_failed' && e.errors?.[0]?.pointer === expected.pointer);
    } else assert.deepEqual(resolveWindow(query, now), expected);
  });
}

test('rollup resolution: minute up to 48 hours, hour beyond', () => {
  assert.equal(resolutionFor({ from: 0, to: 2 * day }), 'minute');
  assert.equal(resolutionFor({ from: 0, to: 2 * day + 1 }), 'hour');
  assert.equal(resolutionFor({ from: 0, to: 30 * day }), 'hour');
});

test('expandWindow: a recurrence that does not parse excludes nothing', () => {
  const broken = { starts_at: '2026-11-01T00:00:00Z', ends_at: '2026-11-02T00:00:00Z', recurrence: { cron: '0 2 * *', duration: '1h', timezone: 'Mars/Olympus' } };
  assert.deepEqual(expandWindow(broken, range('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z')), []);
});
